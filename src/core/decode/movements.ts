/**
 * Value movements: every SPL Token / Token-2022 transfer and every System Program lamport
 * transfer in the transaction, with mint and owners resolved. Native SOL and WSOL are one asset,
 * so lamport transfers carry the WSOL mint and the receiving wallet as their own "owner".
 */
import { WSOL_MINT } from '../trade.js';
import { pubkeyAt } from './base58.js';
import { u64At } from './borsh.js';
import { ixBytes, type Ix, type TxView } from './txview.js';

const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const SYSTEM_PROGRAM = '11111111111111111111111111111111';
const ATA_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';

export interface Movement {
  /** id of the transfer instruction */
  ixId: number;
  mint: string;
  amount: bigint;
  /** What the destination got: less than `amount` when a Token-2022 transfer fee was withheld. */
  received: bigint;
  from: string;
  to: string;
  /** Wallet (or PDA) that owns the source/destination; for lamports, the account itself. */
  fromOwner: string;
  toOwner: string;
  authority: string | null;
  native: boolean;
}

/** A parsed instruction's account field: an address, or null when absent or not a string. */
function address(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) < 1n << 64n) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

interface RawMove {
  ixId: number;
  from: string;
  to: string;
  amount: bigint;
  mint: string | null;
  authority: string | null;
  native: boolean;
}

/**
 * Learn token accounts the balances do not list (created and closed inside the transaction):
 * initializeAccount*, associated-token-account creation and transferChecked name their mint.
 */
function learnAccounts(view: TxView): void {
  const ta = view.tokenAccounts;
  const remember = (account: unknown, mint: unknown, owner: unknown) => {
    if (typeof account !== 'string' || typeof mint !== 'string') return;
    const cur = ta.get(account);
    if (!cur) ta.set(account, { mint, owner: typeof owner === 'string' ? owner : null });
    else if (!cur.owner && typeof owner === 'string') cur.owner = owner;
  };
  for (const ix of view.ixs) {
    const p = ix.programId;
    if (p === TOKEN_PROGRAM || p === TOKEN_2022_PROGRAM) {
      if (ix.parsed) {
        const t = ix.parsed.type;
        const info = ix.parsed.info;
        if (t.startsWith('initializeAccount')) remember(info.account, info.mint, info.owner);
        continue;
      }
      const b = ixBytes(ix);
      const op = b[0];
      if (op === 1 && ix.accounts.length >= 3) remember(ix.accounts[0], ix.accounts[1], ix.accounts[2]);
      else if ((op === 16 || op === 18) && ix.accounts.length >= 2 && b.length >= 33) {
        remember(ix.accounts[0], ix.accounts[1], pubkeyAt(b, 1));
      }
    } else if (p === ATA_PROGRAM) {
      if (ix.parsed) remember(ix.parsed.info.account, ix.parsed.info.mint, ix.parsed.info.wallet);
      else if (ix.accounts.length >= 4) remember(ix.accounts[1], ix.accounts[3], ix.accounts[2]);
    }
  }
}

/** Read one instruction as a transfer, or null. */
function readTransfer(ix: Ix): RawMove | null {
  const p = ix.programId;
  if (p === TOKEN_PROGRAM || p === TOKEN_2022_PROGRAM) {
    if (ix.parsed) {
      const { type, info } = ix.parsed;
      if (type === 'transfer') {
        const amount = toBigInt(info.amount);
        if (amount === null) return null;
        return { ixId: ix.id, from: info.source as string, to: info.destination as string, amount, mint: null, authority: address(info.authority ?? info.multisigAuthority), native: false };
      }
      if (type === 'transferChecked' || type === 'transferCheckedWithFee') {
        const ta = info.tokenAmount as { amount?: string } | undefined;
        const amount = toBigInt(ta?.amount ?? info.amount);
        if (amount === null) return null;
        return { ixId: ix.id, from: info.source as string, to: info.destination as string, amount, mint: address(info.mint), authority: address(info.authority ?? info.multisigAuthority), native: false };
      }
      return null;
    }
    const b = ixBytes(ix);
    if (b.length === 0) return null;
    const op = b[0];
    if (op === 3 && b.length >= 9 && ix.accounts.length >= 3) {
      return { ixId: ix.id, from: ix.accounts[0], to: ix.accounts[1], amount: u64At(b, 1), mint: null, authority: ix.accounts[2], native: false };
    }
    if (op === 12 && b.length >= 10 && ix.accounts.length >= 4) {
      return { ixId: ix.id, from: ix.accounts[0], to: ix.accounts[2], amount: u64At(b, 1), mint: ix.accounts[1], authority: ix.accounts[3], native: false };
    }
    // Token-2022 TransferFeeExtension::TransferCheckedWithFee
    if (op === 26 && b[1] === 1 && b.length >= 11 && ix.accounts.length >= 4) {
      return { ixId: ix.id, from: ix.accounts[0], to: ix.accounts[2], amount: u64At(b, 2), mint: ix.accounts[1], authority: ix.accounts[3], native: false };
    }
    return null;
  }
  if (p === SYSTEM_PROGRAM) {
    if (ix.parsed) {
      const { type, info } = ix.parsed;
      if (type === 'transfer' || type === 'transferWithSeed') {
        const amount = toBigInt(info.lamports);
        if (amount === null) return null;
        return { ixId: ix.id, from: info.source as string, to: info.destination as string, amount, mint: WSOL_MINT, authority: address(info.source), native: true };
      }
      return null;
    }
    const b = ixBytes(ix);
    if (b.length >= 12 && b[1] === 0 && b[2] === 0 && b[3] === 0) {
      if (b[0] === 2 && ix.accounts.length >= 2) {
        return { ixId: ix.id, from: ix.accounts[0], to: ix.accounts[1], amount: u64At(b, 4), mint: WSOL_MINT, authority: ix.accounts[0], native: true };
      }
      if (b[0] === 11 && ix.accounts.length >= 3) {
        return { ixId: ix.id, from: ix.accounts[0], to: ix.accounts[2], amount: u64At(b, 4), mint: WSOL_MINT, authority: ix.accounts[1], native: true };
      }
    }
  }
  return null;
}

/** Every movement in the transaction, in execution order, indexed by instruction id. */
export function extractMovements(view: TxView): Map<number, Movement> {
  learnAccounts(view);
  const raws: RawMove[] = [];
  for (const ix of view.ixs) {
    const m = readTransfer(ix);
    if (m && m.amount > 0n && typeof m.from === 'string' && typeof m.to === 'string') raws.push(m);
  }
  const ta = view.tokenAccounts;
  // A transfer moves one mint between two accounts of that mint: what is known on one end is
  // known on the other. Two passes settle chains through temporary accounts.
  for (let pass = 0; pass < 2; pass++) {
    for (const m of raws) {
      if (m.native) continue;
      const mint = m.mint ?? ta.get(m.from)?.mint ?? ta.get(m.to)?.mint ?? null;
      if (!mint) continue;
      m.mint = mint;
      if (!ta.has(m.from)) ta.set(m.from, { mint, owner: null });
      if (!ta.has(m.to)) ta.set(m.to, { mint, owner: null });
    }
  }
  const touches = new Map<string, number>();
  for (const m of raws) {
    touches.set(m.from, (touches.get(m.from) ?? 0) + 1);
    touches.set(m.to, (touches.get(m.to) ?? 0) + 1);
  }
  const out = new Map<number, Movement>();
  for (const m of raws) {
    if (!m.mint) continue;
    let fromOwner: string;
    let toOwner: string;
    if (m.native) {
      fromOwner = m.from;
      toOwner = m.to;
    } else {
      const fo = ta.get(m.from);
      const to = ta.get(m.to);
      // An unknown owner on the paying side is the signing authority (owner or delegate).
      fromOwner = fo?.owner ?? m.authority ?? m.from;
      if (fo && !fo.owner && m.authority) fo.owner = m.authority;
      toOwner = to?.owner ?? m.to;
    }
    let received = m.amount;
    if (view.token2022Mints.has(m.mint) && (touches.get(m.to) ?? 0) === 1) {
      const d = view.tokenDelta.get(m.to);
      if (d !== undefined && d > 0n && d < m.amount) received = d;
    }
    out.set(m.ixId, { ixId: m.ixId, mint: m.mint, amount: m.amount, received, from: m.from, to: m.to, fromOwner, toOwner, authority: m.authority, native: m.native });
  }
  return out;
}
