/** A release record signed by the server (the fields `.promptops/published.yaml` holds per entry). */
export interface SignedReleaseDto {
  path: string;
  name: string;
  workspace: string;
  env: string;
  sha256: string;
  reviewId: string;
  author: string;
  approvers: string[];
  publisher: string;
  publishedAt: string;
  keyId: string;
  /** Ed25519 over the canonical record, base64. */
  signature: string;
}

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
