import type { PushPublishOutcome } from '../workflows/pushPublish';

/** What a `--push` run did to the clone's own release branch (`what`: the publish or the unpublish). */
export function localSyncLine(localSync: PushPublishOutcome['localSync'], branch: string, what: string): string {
  if (!localSync) return `Your working tree was not touched; \`promptops sync\` on ${branch} brings the ${what} in.`;
  return localSync.synced
    ? `Your ${branch} is up to date with it.`
    : `Your ${branch} was left as it was: ${localSync.reason}`;
}
