import type { SignedRelease, SignedUnpublish } from '../../core/release/releaseRecordTypes';

/** A release record signed by the server (the fields `.promptops/published.yaml` holds per entry). */
export type SignedReleaseDto = SignedRelease;

export interface ReleaseDto extends SignedReleaseDto {
  id: string;
}

export interface ReleaseListQuery {
  path?: string;
  env?: string;
  workspace?: string;
  reviewId?: string;
  cursor?: string;
  limit?: number;
}

export interface ReleaseListResponse {
  releases: ReleaseDto[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface UnpublishRequest {
  /** Repo-relative path of the prompt file. */
  path: string;
  env: string;
}

export interface UnpublishResponse {
  /** The server-signed record; `promptops unpublish` writes it into .promptops/unpublished.yaml. */
  record: SignedUnpublish;
  /** The release was unpublished before this call (the record is the first one). */
  alreadyUnpublished: boolean;
}
