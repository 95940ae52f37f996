/** One window's running sums and distinct counts (lamports in `number`, exact below 2^53). */
export interface Agg {
  buyVol: number;
  sellVol: number;
  buyCnt: number;
  sellCnt: number;
  botVol: number;
  botTrades: number;
  dcaVol: number;
  dcaBuyVol: number;
  dcaTrades: number;
  wallets: number;
  buyers: number;
  sellers: number;
  botWallets: number;
  dcaWallets: number;
}

export const newAgg = (): Agg => ({
  buyVol: 0, sellVol: 0, buyCnt: 0, sellCnt: 0, botVol: 0, botTrades: 0, dcaVol: 0, dcaBuyVol: 0, dcaTrades: 0,
  wallets: 0, buyers: 0, sellers: 0, botWallets: 0, dcaWallets: 0,
});
