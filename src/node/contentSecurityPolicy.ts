/**
 * The Content-Security-Policy of the built studio, put into index.html as a <meta http-equiv> by
 * the build (not in dev: Vite's dev server injects inline scripts for hot reload). No inline
 * scripts and no 'unsafe-eval': scripts come only from the page's origin, and WebAssembly
 * (onnxruntime-web) compiles under 'wasm-unsafe-eval' alone. Workers are the bundle's own files
 * (blob: for libraries that spawn helpers from blobs). connect-src stays open to http(s) because
 * a manifest may name model files on any host and `?scene=` / `?models=` may point elsewhere; those
 * are asked about first (src/app/store/remoteConsent.ts), and the privacy e2e test checks that a
 * local capture never leaves the origin. A static host can send the same policy as a header, and
 * add `frame-ancestors` there (a <meta> policy cannot restrict embedding).
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https: http: blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Vite plugin: the policy as the first element of <head> in built pages. */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'fieldlens-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}
