import { catFileAnswers, parseCatFileBatchObjects } from './catFileBatch';
import { afterLines, converseWithGit, type GitConversation } from './gitRunner';

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * One `git cat-file --batch-command` process for many reads (a verify run's trust files, a
 * range's blobs and commit objects): each process start costs more than most reads. Started on the first question; each object read by id is read once and the same
 * bytes object is returned for it after. Questions may be asked concurrently.
 */
export class CatFileSession {
  private conversation: GitConversation | undefined;
  private readonly byId = new Map<string, { type: string; bytes: Buffer }>();

  constructor(private readonly cwd: string) {}

  /** The id of each named object of `type` (`rev:path`, a sha); undefined when it is missing or of another type. */
  async ids(names: readonly string[], type = 'blob'): Promise<(string | undefined)[]> {
    if (names.length === 0) return [];
    const lines = (
      await this.ask(
        names.map((n) => `info ${askable(n)}\n`),
        afterLines(names.length),
      )
    )
      .toString('utf8')
      .split('\n');
    return names.map((_, i) => {
      const [id, found] = lines[i].split(' ');
      return OBJECT_ID.test(id) && found === type ? id : undefined;
    });
  }

  /**
   * Each named object's bytes when it is of `type`; undefined when missing or of another
   * type. Names that are object ids already read are not asked again.
   */
  async objects(names: readonly string[], type = 'blob'): Promise<(Buffer | undefined)[]> {
    const toAsk = [...new Set(names.filter((n) => !this.byId.has(n)))];
    const asked = new Map<string, { type: string; bytes: Buffer } | undefined>();
    if (toAsk.length > 0) {
      const out = await this.ask(
        toAsk.map((n) => `contents ${askable(n)}\n`),
        catFileAnswers(toAsk.length),
      );
      parseCatFileBatchObjects(out, toAsk.length).forEach((o, i) => {
        if (o && OBJECT_ID.test(toAsk[i]) && o.id !== toAsk[i])
          throw new Error(`git cat-file answered ${o.id} when asked for ${toAsk[i]}`);
        // One object under two names (or asked twice at once) keeps the bytes object read first.
        let kept = o && this.byId.get(o.id);
        if (o && !kept) this.byId.set(o.id, (kept = o));
        asked.set(toAsk[i], kept);
      });
    }
    return names.map((n) => {
      const o = this.byId.get(n) ?? asked.get(n);
      return o?.type === type ? o.bytes : undefined;
    });
  }

  /** Ends the process (if one was started); waits for it to exit. */
  async close(): Promise<void> {
    const conversation = this.conversation;
    this.conversation = undefined;
    this.byId.clear();
    if (conversation) await conversation.finish('');
  }

  private ask(commands: string[], answerEnd: (out: Buffer) => number): Promise<Buffer> {
    this.conversation ??= converseWithGit(this.cwd, ['cat-file', '--batch-command', '--buffer']);
    return this.conversation.ask(`${commands.join('')}flush\n`, answerEnd);
  }
}

/** A name with a line break cannot be written on a command line: asked as one git never finds. */
function askable(name: string): string {
  return name.includes('\n') ? 'missing\tpath' : name;
}
