/**
 * A commit object split as git splits it before checking its signature
 * (`parse_buffer_signed_by_header` in git's commit.c): the signature is the value of the
 * `gpgsig` header (`gpgsig-sha256` in a SHA-256 repository) with its continuation lines;
 * the signed payload is the object without it, and without any other `gpgsig*` header
 * (a signature for the other hash algorithm). Everything after the blank line that ends
 * the headers is payload, whatever it looks like.
 */
export interface SignedCommitParts {
  payload: Buffer;
  /** The signature text (armored, with its line breaks); undefined when the commit is not signed. */
  signature: string | undefined;
}

/** `objectIdLength`: 40 (SHA-1 repository, header `gpgsig`) or 64 (SHA-256, `gpgsig-sha256`). */
export function splitSignedCommit(raw: Uint8Array, objectIdLength = 40): SignedCommitParts {
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const header = Buffer.from(objectIdLength === 64 ? 'gpgsig-sha256' : 'gpgsig');
  const payload: Buffer[] = [];
  const signature: Buffer[] = [];
  let inSignature = false;
  let otherSignature = false;
  let saw = false;
  let line = 0;
  while (line < buffer.length) {
    const eol = buffer.indexOf(0x0a, line);
    let next = eol < 0 ? buffer.length : eol + 1;
    let sigStart = -1;
    if (inSignature && buffer[line] === 0x20) sigStart = line + 1;
    else if (startsWith(buffer, line, header) && buffer[line + header.length] === 0x20) {
      sigStart = line + header.length + 1;
      otherSignature = false;
    } else if (startsWith(buffer, line, GPGSIG)) otherSignature = true;
    else if (otherSignature && buffer[line] !== 0x20) otherSignature = false;
    if (sigStart >= 0) {
      signature.push(buffer.subarray(sigStart, next));
      saw = true;
      inSignature = true;
    } else {
      // The blank line ending the headers: the rest is the message, all of it payload.
      if (buffer[line] === 0x0a) next = buffer.length;
      if (!otherSignature) payload.push(buffer.subarray(line, next));
      inSignature = false;
    }
    line = next;
  }
  return { payload: Buffer.concat(payload), signature: saw ? Buffer.concat(signature).toString('utf8') : undefined };
}

const GPGSIG = Buffer.from('gpgsig');

function startsWith(buffer: Buffer, at: number, prefix: Buffer): boolean {
  return buffer.length - at >= prefix.length && buffer.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}
