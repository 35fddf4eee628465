// Shared by every page: JSON calls to earshot's API with the session's CSRF
// token (staff) or the subject token (privacy dashboard), and small DOM helpers.
'use strict';

const earshot = (() => {
  let csrf = '';
  let bearer = '';

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function call(method, path, body, opts = {}) {
    const headers = {};
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    } else if (method !== 'GET') {
      payload = '';
    }
    const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    if (opts.raw && res.ok) return res;
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const err = json && json.error ? json.error : { code: 'http_' + res.status, message: res.statusText };
      throw new ApiError(res.status, err.code, err.message);
    }
    return json;
  }

  // The signed-in staff member ({role, pseudonym}) or null.
  async function session() {
    try {
      const me = await call('GET', '/api/v1/staff/me');
      csrf = me.csrf_token;
      return me;
    } catch (e) {
      if (e.status === 401) return null;
      throw e;
    }
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, '');
      else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function when(iso) {
    const d = new Date(iso);
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  async function signOut() {
    try { await call('POST', '/api/v1/staff/sign-out'); } catch (e) { /* gone already */ }
    location.href = '/';
  }

  return {
    call, session, el, when, signOut, ApiError,
    setCsrf: (t) => { csrf = t; },
    setBearer: (t) => { bearer = t; },
  };
})();
