/**
 * The bits of Go's net and net/url that Prometheus template functions use:
 * net.SplitHostPort, net.ParseIP (only "is it an IP?"), net.JoinHostPort
 * (stripPort, stripDomain) and url.QueryEscape (urlquery, graphLink,
 * tableLink). Reference: go1.19 src/net/ipsock.go, src/net/ip.go,
 * src/net/url/url.go (shouldEscape, escape).
 */

import { utf8Bytes } from "./strconv.js";

export type SplitHostPortResult = { ok: true; host: string; port: string } | { ok: false; error: string };

export function splitHostPort(hostport: string): SplitHostPortResult {
  const fail = (why: string): SplitHostPortResult => ({ ok: false, error: `address ${hostport}: ${why}` });
  let j = 0;
  let k = 0;
  const i = hostport.lastIndexOf(":");
  if (i < 0) return fail("missing port in address");
  let host: string;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === hostport.length) return fail("missing port in address");
    if (end + 1 !== i) {
      if (hostport[end + 1] === ":") return fail("too many colons in address");
      return fail("missing port in address");
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return fail("too many colons in address");
  }
  if (hostport.slice(j).includes("[")) return fail("unexpected '[' in address");
  if (hostport.slice(k).includes("]")) return fail("unexpected ']' in address");
  return { ok: true, host, port: hostport.slice(i + 1) };
}

export function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

const BIG = 0xffffff;

function dtoi(s: string): { n: number; i: number; ok: boolean } {
  let n = 0;
  let i = 0;
  for (; i < s.length && s[i]! >= "0" && s[i]! <= "9"; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= BIG) return { n: BIG, i, ok: false };
  }
  return i === 0 ? { n: 0, i: 0, ok: false } : { n, i, ok: true };
}

function xtoi(s: string): { n: number; i: number; ok: boolean } {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    const v = /[0-9a-fA-F]/.test(c) ? parseInt(c, 16) : -1;
    if (v < 0) break;
    n = n * 16 + v;
    if (n >= BIG) return { n: 0, i, ok: false };
  }
  return i === 0 ? { n: 0, i, ok: false } : { n, i, ok: true };
}

function isIPv4(s: string): boolean {
  for (let i = 0; i < 4; i++) {
    if (s.length === 0) return false;
    if (i > 0) {
      if (s[0] !== ".") return false;
      s = s.slice(1);
    }
    const { n, i: c, ok } = dtoi(s);
    if (!ok || n > 0xff) return false;
    if (c > 1 && s[0] === "0") return false; // no leading zeros (go1.17+)
    s = s.slice(c);
  }
  return s.length === 0;
}

function isIPv6(s: string): boolean {
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return true;
  }
  let i = 0;
  while (i < 16) {
    const { n, i: c, ok } = xtoi(s);
    if (!ok || n > 0xffff) return false;
    if (c < s.length && s[c] === ".") {
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (!isIPv4(s)) return false;
      s = "";
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ":" || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

/** net.ParseIP(s) != nil */
export function isIP(s: string): boolean {
  for (const c of s) {
    if (c === ".") return isIPv4(s);
    if (c === ":") return isIPv6(s);
  }
  return false;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
