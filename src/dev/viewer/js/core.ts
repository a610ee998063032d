/**
 * Viewer script, part 1: DOM and API helpers and formatting shared by every view. The viewer's
 * parts are concatenated inside one function scope (see ../script.ts). Rule for editing these
 * strings: no backticks and no dollar-brace.
 */
export const CORE_JS = String.raw`
  var app = document.getElementById("app");
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.getAttribute("content") : null; };
  var WS = meta("bentolabs-workspace");
  var apiKey = meta("bentolabs-api-key") || sessionStorage.getItem("bentolabs-api-key");
  // the current view's reaction to live events (set by views, cleared on navigation)
  var liveHandler = null;

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.indexOf("on") === 0) el[k] = v;
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return el;
  }
  function show(nodes) { app.replaceChildren.apply(app, nodes); }
  function fail(err) { show([h("div", { class: "fail-box", "data-testid": "error", text: String(err && err.message || err) })]); }

  function request(path) { return fetch(path, { headers: { authorization: "Bearer " + apiKey } }); }
  function api(path) {
    return request(path).then(function (r) {
      return r.json().then(function (body) {
        if (r.status === 401) { sessionStorage.removeItem("bentolabs-api-key"); }
        if (!r.ok) throw new Error(r.status + ": " + (body.message || body.error));
        return body;
      });
    });
  }
  function apiText(path) {
    return request(path).then(function (r) {
      return r.text().then(function (text) { if (!r.ok) throw new Error(r.status + ": " + text); return text; });
    });
  }
  function qs(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) { if (params[k]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k])); });
    return parts.length ? "?" + parts.join("&") : "";
  }
  function enc(s) { return encodeURIComponent(s); }

  function ms(n) { return n < 1000 ? n.toFixed(n < 10 ? 1 : 0) + " ms" : (n / 1000).toFixed(2) + " s"; }
  function when(iso) { var d = new Date(iso); return d.toLocaleString(); }
  function tokens(t) { return t === null || t === undefined ? "–" : String(t); }
  function usd(v) { return v === null || v === undefined ? "—" : "$" + (v === 0 ? "0" : v < 0.01 ? v.toFixed(5) : v < 1 ? v.toFixed(4) : v.toFixed(2)); }
  function signed(v, fmt) { return (v > 0 ? "+" : v < 0 ? "−" : "±") + fmt(Math.abs(v)); }
  // a run's, session's or user's cost; a star when some LLM spans have models missing from the price table
  function costCell(x) {
    var text = usd(x.cost_usd) + (x.unpriced_spans && x.cost_usd !== null ? " *" : "");
    var title = x.unpriced_spans ? x.unpriced_spans + " LLM span(s) with a model missing from the price table are not included (see --prices)" : null;
    return h("td", { class: "num", "data-testid": "cost", title: title, text: text });
  }
  function pretty(text) {
    if (text === null || text === undefined) return "";
    try { var v = JSON.parse(text); if (v !== null && typeof v === "object") return JSON.stringify(v, null, 2); } catch (e) { /* plain text */ }
    return text;
  }
  var KINDS = ["llm", "tool", "retriever", "embedding", "agent", "chain", "trajectory"];
  function kindClass(kind) { return KINDS.indexOf(kind) >= 0 ? kind : "other"; }
  // imported runs (e.g. from a Langfuse source) say where they came from; pushed runs stay unmarked
  function sourceTag(src) { return src && src !== "push" ? h("span", { class: "source", "data-testid": "source-tag", text: src }) : null; }
  function badge(kind) { return h("span", { class: "badge " + kindClass(kind), "data-testid": "kind-badge", text: kind === "llm" ? "LLM" : kind }); }
  function status(s) { return h("span", { class: "status " + s, text: s }); }
  function link(href, text) { return h("a", { href: href, text: text }); }
  function runLink(id, text) { return link("#/runs/" + enc(id), text); }
  function saveFile(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = h("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }
`;
