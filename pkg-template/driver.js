// What the module asks the JavaScript engine to do, done in JavaScript: each call here is one wait on the Rust side
// (a Promise it awaits), where doing the same through wasm-bindgen's bindings took a binding per browser method
// and a wait per step. The module imports this file (`#[wasm_bindgen(module = …)]` in src/platform), so it ships
// in the package's `snippets/` and is there for the wasm-pack tests too.

/**
 * POSTs one Cognito request and reads the whole answer, within `timeoutMs` (an AbortController's abort, armed by
 * setTimeout, covers the body as well as the headers). Resolves with `[status, x-amzn-ErrorType, Retry-After,
 * body text]` for any HTTP answer; rejects with `[timedOut, stage, error]` when none came whole: `stage` 0 for
 * the request, 1 for reading its body.
 */
export async function send(url, target, userAgent, body, timeoutMs) {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
  let stage = 0;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1', // protocol::CONTENT_TYPE
        'X-Amz-Target': target,
        'X-Amz-User-Agent': userAgent,
        'Cache-Control': 'no-store',
      },
      body,
      cache: 'no-store',
      signal: controller?.signal,
    });
    stage = 1;
    const text = await response.text();
    return [response.status, response.headers.get('x-amzn-ErrorType'), response.headers.get('Retry-After'), text];
  } catch (error) {
    throw [controller?.signal.aborted === true, stage, error];
  } finally {
    clearTimeout(timer);
  }
}
