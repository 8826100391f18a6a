/**
 * The one typed IPC contract between the renderer (through the preload's `window.gridwork`) and
 * Electron's main process.
 *
 * For every channel in `channels.ts` this file holds:
 * - a zod schema for the request payload, which main parses before any handler runs (the renderer
 *   is treated as untrusted input, like an HTTP client);
 * - the response type, in `IpcResponses` (main is trusted, so responses are types, not schemas).
 *
 * `IpcHandlers` is what main's handler table must satisfy and `GridworkBridge` is what the preload
 * exposes; both are derived from the channel list, so a new channel is a type error until both
 * sides handle it. Platform-free: no DOM, no Node, no Electron.
 */
import { z } from 'zod';
import type { IpcChannel } from './channels';

export { ipcChannels, isIpcChannel } from './channels';
export type { IpcChannel } from './channels';

/** Size limits enforced by the request schemas. */
export const IPC_LIMITS = {
  /** Largest file `file:save` writes: big enough for a street-wide xlsx/pdf report with photos. */
  maxSaveBytes: 100 * 1024 * 1024,
  /** Longest secret value (a sync token is a few hundred characters). */
  maxSecretLength: 16 * 1024,
  /** Longest URL `shell:open-external` accepts. */
  maxUrlLength: 2048,
  maxFileNameLength: 255,
  maxFilters: 20,
} as const;

// ---------------------------------------------------------------------------------------------
// Request schemas
// ---------------------------------------------------------------------------------------------

/**
 * The only secrets main will store. An allow-list, so a compromised renderer cannot turn the
 * keychain into general storage or probe for other names.
 */
export const SecretKeySchema = z.enum(['sync-token', 'sync-refresh-token']);
export type SecretKey = z.infer<typeof SecretKeySchema>;

export const OpenExternalRequestSchema = z.string().min(1).max(IPC_LIMITS.maxUrlLength);

/** Characters Windows forbids in file names, path separators and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const unsafeFileNameChars = /[<>:"/\\|?*\u0000-\u001f\u007f]/;

export const SuggestedFileNameSchema = z
  .string()
  .min(1)
  .max(IPC_LIMITS.maxFileNameLength)
  .refine((name) => !unsafeFileNameChars.test(name), {
    message: 'must be a plain file name without path separators or reserved characters',
  })
  .refine((name) => name.trim() !== '' && name !== '.' && name !== '..', {
    message: 'must be a plain file name',
  });

export const FileFilterSchema = z.strictObject({
  name: z.string().min(1).max(100),
  extensions: z
    .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/, 'must be an extension without a dot'))
    .min(1)
    .max(20),
});
export type FileFilter = z.infer<typeof FileFilterSchema>;

export const SaveFileRequestSchema = z.strictObject({
  /** File name offered in the save dialog (no directory: the user picks where it goes). */
  suggestedName: SuggestedFileNameSchema,
  /** File contents: bytes, or text written as UTF-8. */
  data: z
    .union([z.instanceof(Uint8Array), z.string()], {
      error: 'must be a Uint8Array or a string',
    })
    .refine(
      (data) =>
        (typeof data === 'string' ? data.length : data.byteLength) <= IPC_LIMITS.maxSaveBytes,
      { message: `must be at most ${IPC_LIMITS.maxSaveBytes} bytes (or characters)` },
    ),
  filters: z.array(FileFilterSchema).max(IPC_LIMITS.maxFilters).optional(),
});
export type SaveFileRequest = z.input<typeof SaveFileRequestSchema>;

export const SecretKeyRequestSchema = z.strictObject({ key: SecretKeySchema });
export const SecretSetRequestSchema = z.strictObject({
  key: SecretKeySchema,
  value: z.string().min(1).max(IPC_LIMITS.maxSecretLength),
});

/** The sync server the desktop app talks to (http or https; main keeps only its origin). */
export const SetSyncServerRequestSchema = z.string().min(1).max(IPC_LIMITS.maxUrlLength);

// URL exists wherever shared/ runs (browsers, Node, Electron) and the lint rules allow it, but
// shared/ compiles without the DOM and Node libs that declare it: declare the part used here.
declare const URL: new (url: string) => { readonly origin: string };

// Lower-case DNS labels or an IPv4 address, or a bracketed IPv6 address; an optional port.
const HTTP_ORIGIN_PATTERN =
  /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * Whether `value` is exactly an http(s) origin as `URL#origin` writes it: `scheme://host[:port]`,
 * lower-case, without the default port, and with no path, query, credentials or wildcard. Such a
 * value is safe to put in a Content-Security-Policy source list as it is.
 */
export function isHttpOrigin(value: string): boolean {
  if (!HTTP_ORIGIN_PATTERN.test(value)) return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * The origin of the intranet tile server of the basemap (`https://tiles.example.gov.cn:8443`),
 * which main allows in the page's Content-Security-Policy; null when no tile server is set.
 */
export const SetBasemapOriginRequestSchema = z
  .string()
  .max(IPC_LIMITS.maxUrlLength)
  .refine(isHttpOrigin, {
    message: 'must be an http(s) origin (scheme://host[:port]) without path or wildcard',
  })
  .nullable();

/** The request schema of every channel. `satisfies` makes a missing or unknown channel an error. */
export const ipcRequestSchemas = {
  'app:info': z.undefined(),
  'shell:open-external': OpenExternalRequestSchema,
  'file:save': SaveFileRequestSchema,
  'secret:get': SecretKeyRequestSchema,
  'secret:set': SecretSetRequestSchema,
  'secret:delete': SecretKeyRequestSchema,
  'secret:status': z.undefined(),
  'config:set-sync-server': SetSyncServerRequestSchema,
  'config:set-basemap-origin': SetBasemapOriginRequestSchema,
} as const satisfies Record<IpcChannel, z.ZodType>;

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** Versions of the running shell, for the About box and bug reports. */
export interface AppInfo {
  version: string;
  platform: string;
  electron: string;
  chrome: string;
}

export interface OpenExternalResult {
  opened: boolean;
  /** Why nothing was opened: the URL failed the allow-check, or the OS refused. */
  reason?: 'unsafe-url' | 'failed';
}

export interface SaveFileResult {
  /** False when the user cancelled the dialog. */
  saved: boolean;
  /** Where the file was written. */
  path?: string;
}

export interface SecretSetResult {
  stored: boolean;
  /** Main refuses to store a secret it cannot encrypt. */
  reason?: 'encryption-unavailable';
}

/**
 * How secrets are protected on this machine. `available` is true only when the OS keychain
 * really protects them: Linux's `basic_text` backend encrypts with a fixed, public key, so it
 * counts as unavailable and the UI should warn.
 */
export interface SecretStatus {
  available: boolean;
  /** `dpapi`, `keychain`, or the Linux backend (`gnome_libsecret`, `kwallet5`, `basic_text`…). */
  backend: string;
}

export interface SetSyncServerResult {
  saved: boolean;
  /** The origin now allowed by the page's Content-Security-Policy (after a reload). */
  origin?: string;
  reason?: 'invalid-url';
}

export interface SetBasemapOriginResult {
  saved: boolean;
  /** The tile origin now allowed in img-src and connect-src (null: none). */
  origin?: string | null;
  /**
   * True when the page was served before `origin` was allowed: it must reload before the map can
   * load tiles from there. Never true when the origin is cleared.
   */
  reload?: boolean;
  reason?: 'invalid-origin';
}

/** The response type of every channel. */
export interface IpcResponses {
  'app:info': AppInfo;
  'shell:open-external': OpenExternalResult;
  'file:save': SaveFileResult;
  'secret:get': string | null;
  'secret:set': SecretSetResult;
  'secret:delete': undefined;
  'secret:status': SecretStatus;
  'config:set-sync-server': SetSyncServerResult;
  'config:set-basemap-origin': SetBasemapOriginResult;
}

type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
// A compile-time check: responses and channels name exactly the same set.
type _ResponsesCoverEveryChannel = Expect<Equal<keyof IpcResponses, IpcChannel>>;

// ---------------------------------------------------------------------------------------------
// Derived types for both sides
// ---------------------------------------------------------------------------------------------

/** What the renderer sends on `channel`. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcRequestSchemas)[C]>;
/** What main's handler receives on `channel`, after validation. */
export type IpcPayload<C extends IpcChannel> = z.output<(typeof ipcRequestSchemas)[C]>;
/** What main answers on `channel`. */
export type IpcResponse<C extends IpcChannel> = IpcResponses[C];

/**
 * The request schemas, typed per channel. Same object as `ipcRequestSchemas`, but indexing it with
 * a generic channel `C` yields a schema whose output is `IpcPayload<C>`, which main's generic
 * validation helper needs (indexing the literal object would give a union of all schemas).
 */
export const ipcPayloadSchemas: {
  [C in IpcChannel]: z.ZodType<IpcPayload<C>, IpcRequest<C>>;
} = ipcRequestSchemas;

/** One main-process handler. `Context` is the caller's identity, supplied by main. */
export type IpcHandler<C extends IpcChannel, Context> = (
  payload: IpcPayload<C>,
  context: Context,
) => Promise<IpcResponse<C>> | IpcResponse<C>;

/** Main's handler table must `satisfies` this: one handler per channel, no more, no fewer. */
export type IpcHandlers<Context> = { [C in IpcChannel]: IpcHandler<C, Context> };

/** Sends one request and resolves with main's answer (the preload wraps `ipcRenderer.invoke`). */
export type IpcInvoke = <C extends IpcChannel>(
  channel: C,
  request: IpcRequest<C>,
) => Promise<IpcResponse<C>>;

// ---------------------------------------------------------------------------------------------
// The renderer-facing API
// ---------------------------------------------------------------------------------------------

/**
 * The API the preload exposes as `window.gridwork` — present only inside Electron. Named functions
 * only, never raw `ipcRenderer`: a page can reach main through these calls and nothing else.
 * Every call may reject with an `Error` when main refuses the payload or the caller.
 */
export interface GridworkBridge {
  /** Versions of the app, Electron and Chromium. */
  appInfo(): Promise<AppInfo>;
  /** Opens an http(s) or mailto link in the system browser; anything else is refused. */
  openExternal(url: string): Promise<OpenExternalResult>;
  /** Asks the user where to save, then writes the file. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /**
   * Saves the sync server's address in the app's settings and allows its origin in the page's
   * Content-Security-Policy; the page must reload for the new policy to apply.
   */
  setSyncServer(url: string): Promise<SetSyncServerResult>;
  /**
   * Saves the basemap's tile server origin (null: none) in the app's settings and allows it in
   * the page's Content-Security-Policy (img-src and connect-src); the page must reload when the
   * answer says so.
   */
  setBasemapOrigin(origin: string | null): Promise<SetBasemapOriginResult>;
  /** Small secrets (sync tokens) encrypted with the OS keychain. */
  secrets: {
    /** The stored value, or null when there is none (or it can no longer be decrypted). */
    get(key: SecretKey): Promise<string | null>;
    set(key: SecretKey, value: string): Promise<SecretSetResult>;
    delete(key: SecretKey): Promise<void>;
    status(): Promise<SecretStatus>;
  };
}
