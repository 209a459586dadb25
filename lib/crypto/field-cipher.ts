import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getKeyProvider, type KeyProvider } from "./key-provider";

/**
 * Encryption of one secret field at rest: AES-256-GCM, a random 96-bit IV per
 * seal, a 128-bit tag. The additional authenticated data binds the ciphertext
 * to where it lives — table, column, row id — and to the key version, so a
 * ciphertext copied to another row or column, or relabelled with another key
 * version, fails to open instead of decrypting to someone else's secret.
 *
 * Envelope: format (1 byte, 0x01) | key version (uint32 BE) | IV (12) |
 * ciphertext | tag (16).
 */
export type FieldLocation = { table: string; column: string; rowId: string };

const FORMAT = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + 4 + IV_BYTES;

export class DecryptionError extends Error {
  constructor(message = "the encrypted field could not be opened") {
    super(message);
    this.name = "DecryptionError";
  }
}

function aadOf(where: FieldLocation, keyVersion: number): Buffer {
  for (const part of [where.table, where.column, where.rowId]) {
    if (!part || part.includes("\u0000")) throw new Error("field location parts must be non-empty, without NUL");
  }
  return Buffer.from(["modelgate", FORMAT, where.table, where.column, where.rowId, keyVersion].join("\u0000"), "utf8");
}

export function encryptField(plaintext: Buffer, where: FieldLocation, keys: KeyProvider = getKeyProvider()): Buffer {
  const version = keys.currentVersion();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.keyFor(version), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(where, version));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(5);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(version, 1);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

/** Opens an envelope sealed for exactly `where`; throws DecryptionError otherwise. */
export function decryptField(envelope: Uint8Array, where: FieldLocation, keys: KeyProvider = getKeyProvider()): Buffer {
  const buf = Buffer.from(envelope);
  if (buf.length < HEADER_BYTES + TAG_BYTES || buf.readUInt8(0) !== FORMAT) throw new DecryptionError();
  const version = buf.readUInt32BE(1);
  let key: Buffer;
  try {
    key = keys.keyFor(version);
  } catch {
    throw new DecryptionError(`the encrypted field names key version ${version}, which is not available`);
  }
  const iv = buf.subarray(5, HEADER_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(where, version));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** The key version an envelope was sealed with (for re-encryption sweeps). */
export function keyVersionOf(envelope: Uint8Array): number {
  const buf = Buffer.from(envelope);
  if (buf.length < HEADER_BYTES + TAG_BYTES || buf.readUInt8(0) !== FORMAT) throw new DecryptionError();
  return buf.readUInt32BE(1);
}

/**
 * Data-key envelopes (lib/crypto/data-keys.ts): format (1 byte, 0x02) | data-key
 * version (uint32 BE) | IV (12) | ciphertext | tag (16). The AAD adds the
 * owner of the data key (`tenant:<uuid>` or `platform`) to the location and
 * version, so a ciphertext moved to another tenant fails to open even where the
 * table, column and row id match.
 */
export const DATA_KEY_FORMAT = 0x02;

export type DataKey = { version: number; key: Buffer };

function dataKeyAad(owner: string, where: FieldLocation, version: number): Buffer {
  for (const part of [owner, where.table, where.column, where.rowId]) {
    if (!part || part.includes("\u0000")) throw new Error("field location parts must be non-empty, without NUL");
  }
  return Buffer.from(["modelgate", DATA_KEY_FORMAT, owner, where.table, where.column, where.rowId, version].join("\u0000"), "utf8");
}

export function sealWithDataKey(plaintext: Buffer, where: FieldLocation, owner: string, dataKey: DataKey): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", dataKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(dataKeyAad(owner, where, dataKey.version));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(5);
  header.writeUInt8(DATA_KEY_FORMAT, 0);
  header.writeUInt32BE(dataKey.version, 1);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

/** Opens a data-key envelope with the key of the version it names (see envelopeInfo). */
export function openWithDataKey(envelope: Uint8Array, where: FieldLocation, owner: string, dataKey: DataKey): Buffer {
  const buf = Buffer.from(envelope);
  const info = envelopeInfo(buf);
  if (info.format !== DATA_KEY_FORMAT || info.keyVersion !== dataKey.version) throw new DecryptionError();
  const iv = buf.subarray(5, HEADER_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(dataKeyAad(owner, where, dataKey.version));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/**
 * The format (0x01: master-key-derived field key, the format before envelope
 * encryption; 0x02: data key) and key version an envelope names. Throws
 * DecryptionError for anything that is not an envelope.
 */
export function envelopeInfo(envelope: Uint8Array): { format: typeof FORMAT | typeof DATA_KEY_FORMAT; keyVersion: number } {
  const buf = Buffer.from(envelope);
  if (buf.length < HEADER_BYTES + TAG_BYTES) throw new DecryptionError();
  const format = buf.readUInt8(0);
  if (format !== FORMAT && format !== DATA_KEY_FORMAT) throw new DecryptionError();
  return { format, keyVersion: buf.readUInt32BE(1) };
}
