// The surface of Geotab's mg-api-js 3.0.3 (a dev dependency that ships no types) these tests drive:
// lib/GeotabApi.js and lib/ApiHelper.js of the package.
declare module 'mg-api-js' {
  interface Authentication {
    credentials: { database: string; userName: string; password?: string; sessionId?: string };
    /** The server: calls go to `https://<path>/apiv1/`. */
    path?: string;
  }
  interface Options {
    rememberMe?: boolean;
    fullResponse?: boolean;
    /** Seconds. */
    timeout?: number;
  }
  class GeotabApi {
    constructor(authentication: Authentication, options?: Options);
    authenticate(): Promise<{ credentials: { database: string; userName: string; sessionId: string }; path: string }>;
    // any: the result of a MyGeotab method, read field by field.
    call(method: string, params: Record<string, unknown>): Promise<any>;
    call(method: string, params: Record<string, unknown>, success: (result: any) => void, error: (message: string, details: any) => void): Promise<void>;
    multiCall(calls: Array<[string, Record<string, unknown>]>): Promise<any[]>;
  }
  export default GeotabApi;
}
