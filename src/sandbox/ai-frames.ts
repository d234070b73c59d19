import { z } from 'zod';
import type { AiSession } from '../ai/broker.ts';
import { handleExtendedAiRequest, isExtendedAiRequest } from '../ai/guest-requests.ts';
import { generateRequestSchema } from '../ai/requests.ts';
import { toErrorInfo, type ErrorCode, type ErrorInfo } from '../shared/errors.ts';
import { zoneData } from './tzdata.ts';

/**
 * Host handling of the guest's AI requests. Every payload is validated here; the session
 * enforces the policy (approved models, call count, prompt length) and owns the records.
 */
export interface AiReply {
  kind: string;
  value: unknown;
}

export class AiFrameHandler {
  /** AI error codes this run really answered with: only these may end the run under their own code. */
  readonly issuedCodes = new Set<ErrorCode>();
  /** The last error issued under each code, so the run's error keeps its typed details (the model refused, …). */
  readonly issuedErrors = new Map<ErrorCode, ErrorInfo>();

  constructor(private readonly session: AiSession) {}

  async handle(kind: string, payload: unknown): Promise<AiReply> {
    if (kind === 'models') return this.models();
    if (kind === 'tz') return timeZone(payload);
    if (isExtendedAiRequest(payload)) return handleExtendedAiRequest(this.session, payload, (code) => this.issuedCodes.add(code));
    const request = generateRequestSchema.safeParse(payload);
    if (!request.success) return this.refuse('AI_ERROR', `Invalid AI request: ${z.prettifyError(request.error)}`);
    try {
      return { kind: 'ai_ok', value: { text: await this.session.call(request.data) } };
    } catch (error) {
      return this.refuseWith(toErrorInfo(error));
    }
  }

  private async models(): Promise<AiReply> {
    try {
      return { kind: 'models_ok', value: await this.session.listModels() };
    } catch (error) {
      return this.refuseWith(toErrorInfo(error));
    }
  }

  private refuseWith(info: ErrorInfo): AiReply {
    this.issuedErrors.set(info.code, info);
    return this.refuse(info.code, info.message);
  }

  private refuse(code: ErrorCode, message: string): AiReply {
    this.issuedCodes.add(code);
    return { kind: 'ai_err', value: { code, message } };
  }
}

/** A zone's TZif bytes for the SDK's zoneinfo loader; a key that is no zone is `tz_err` (zoneinfo then says ZoneInfoNotFoundError). */
function timeZone(payload: unknown): AiReply {
  const data = zoneData((payload as { key?: unknown } | null)?.key);
  return data === undefined ? { kind: 'tz_err', value: { message: 'no such time zone' } } : { kind: 'tz_ok', value: { data } };
}
