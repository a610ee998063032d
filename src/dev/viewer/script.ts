/**
 * The viewer's browser script: vanilla JS, no dependencies, no CDN. Kept as a string module so
 * it ships inside the bundle. Rule for editing: no backticks and no dollar-brace in this script.
 */
export const VIEWER_JS = String.raw`"use strict";
(function () {
  var app = document.getElementById("app");
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.getAttribute("content") : null; };
  var WS = meta("bentolabs-workspace");
  var apiKey = meta("bentolabs-api-key") || sessionStorage.getItem("bentolabs-api-key");

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "onclick" || k === "onsubmit" || k === "onchange") el[k] = v;
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

  function api(path) {
    return fetch(path, { headers: { authorization: "Bearer " + apiKey } }).then(function (r) {
      return r.json().then(function (body) {
        if (r.status === 401) { sessionStorage.removeItem("bentolabs-api-key"); }
        if (!r.ok) throw new Error(r.status + ": " + (body.message || body.error));
        return body;
      });
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
  function pretty(text) {
    if (text === null || text === undefined) return "";
    try { var v = JSON.parse(text); if (v !== null && typeof v === "object") return JSON.stringify(v, null, 2); } catch (e) { /* plain text */ }
    return text;
  }
  function kindClass(kind) { return kind === "llm" ? "llm" : kind === "tool" ? "tool" : "other"; }
  // imported runs (e.g. from a Langfuse source) say where they came from; pushed runs stay unmarked
  function sourceTag(src) { return src && src !== "push" ? h("span", { class: "source", "data-testid": "source-tag", text: src }) : null; }
  function badge(kind) { return h("span", { class: "badge " + kindClass(kind), "data-testid": "kind-badge", text: kind === "llm" ? "LLM" : kind }); }
  function status(s) { return h("span", { class: "status " + s, text: s }); }
  function link(href, text) { return h("a", { href: href, text: text }); }
  function runLink(id, text) { return link("#/runs/" + enc(id), text); }

  // ---- runs list ----
  function runsView(params) {
    var form = h("form", { class: "filters", "data-testid": "filters" }, [
      h("input", { name: "q", placeholder: "search name, input, output", value: params.q || "" }),
      h("select", { name: "status" }, ["", "ok", "error"].map(function (s) { return h("option", { value: s, selected: params.status === s, text: s || "any status" }); })),
      h("input", { name: "model", placeholder: "model", value: params.model || "" }),
      h("input", { name: "user_id", placeholder: "user", value: params.user_id || "" }),
      h("input", { name: "session_id", placeholder: "session", value: params.session_id || "" }),
      h("input", { name: "environment", placeholder: "environment", value: params.environment || "" }),
      h("input", { name: "release", placeholder: "release", value: params.release || "" }),
      h("label", {}, ["from ", h("input", { name: "start_time", type: "datetime-local", value: params.start_time || "" })]),
      h("label", {}, ["to ", h("input", { name: "end_time", type: "datetime-local", value: params.end_time || "" })]),
      h("button", { type: "submit", text: "Filter" }),
    ]);
    form.onsubmit = function (e) {
      e.preventDefault();
      var next = {};
      new FormData(form).forEach(function (v, k) { if (v) next[k] = String(v); });
      location.hash = "#/runs" + qs(next);
    };
    var body = h("tbody", {});
    var table = h("table", { class: "list", "data-testid": "runs-table" }, [
      h("thead", {}, [h("tr", {}, ["Started", "Run", "Status", "Models", "Spans", "Tokens", "Duration", "User", "Session", "Input"].map(function (c) { return h("th", { text: c }); }))]),
      body,
    ]);
    var more = h("button", { class: "more", hidden: true, text: "Load more" });
    show([h("h1", { text: "Runs" }), form, table, more]);
    var query = Object.assign({}, params);
    ["start_time", "end_time"].forEach(function (k) { if (query[k]) query[k] = new Date(query[k]).toISOString(); });
    function load(cursor) {
      query.cursor = cursor;
      api("/workspaces/" + enc(WS) + "/traces" + qs(query)).then(function (page) {
        page.items.forEach(function (t) {
          var row = h("tr", { class: "clickable", "data-testid": "run-row", "data-trace-id": t.trace_id }, [
            h("td", { text: when(t.start_time) }),
            h("td", {}, [runLink(t.trace_id, t.name || "(unnamed)"), sourceTag(t.source)]),
            h("td", {}, [status(t.status)]),
            h("td", { text: t.models.join(", ") }),
            h("td", { text: String(t.span_count) }),
            h("td", { text: tokens(t.total_tokens) }),
            h("td", { text: ms(t.duration_ms) }),
            h("td", {}, [t.user_id ? link("#/users/" + enc(t.user_id), t.user_id) : ""]),
            h("td", {}, [t.session_id ? link("#/sessions/" + enc(t.session_id), t.session_id) : ""]),
            h("td", { class: "preview", text: t.input_preview || "" }),
          ]);
          row.onclick = function (e) { if (e.target.tagName !== "A") location.hash = "#/runs/" + enc(t.trace_id); };
          body.appendChild(row);
        });
        if (!body.children.length) body.appendChild(h("tr", {}, [h("td", { colspan: 10, class: "muted", text: "No runs yet. Point the SDK at this server and run your agent." })]));
        more.hidden = !page.next_cursor;
        more.onclick = function () { load(page.next_cursor); };
      }).catch(fail);
    }
    load(undefined);
  }

  // ---- one trajectory ----
  function flatten(nodes, depth, out) {
    nodes.forEach(function (n) { out.push({ node: n, depth: depth }); flatten(n.children, depth + 1, out); });
    return out;
  }
  function block(title, text, testid) {
    return h("section", { class: "block" }, [h("h3", { text: title }), h("pre", { "data-testid": testid, text: text || "—" })]);
  }
  function panel(s) {
    var facts = [
      ["Kind", s.span_kind || "llm (unset)"], ["Status", s.status + (s.status_message ? ": " + s.status_message : "")],
      ["Start", s.start_time], ["Duration", ms(s.duration_ms)], ["Model", s.model], ["Provider", s.provider],
      ["User", s.user_id], ["Session", s.session_id], ["Tokens in / out", s.input_tokens === null && s.output_tokens === null ? null : tokens(s.input_tokens) + " / " + tokens(s.output_tokens)],
      ["Tags", s.tags ? s.tags.join(", ") : null], ["Span id", s.span_id],
      ["Environment", s.resource ? s.resource["deployment.environment.name"] : null], ["Release", s.resource ? s.resource["service.version"] : null],
    ].filter(function (f) { return f[1] !== null && f[1] !== undefined; });
    return h("div", { class: "panel", "data-testid": "span-panel" }, [
      h("h2", {}, [s.name + " ", badge(s.kind)]),
      h("dl", {}, facts.reduce(function (acc, f) { acc.push(h("dt", { text: f[0] }), h("dd", { text: String(f[1]) })); return acc; }, [])),
      block("Input", pretty(s.input), "panel-input"),
      block("Output", pretty(s.output), "panel-output"),
      block("Attributes", JSON.stringify(s.attributes, null, 2), "panel-attributes"),
      s.events.length ? block("Events", JSON.stringify(s.events, null, 2), "panel-events") : null,
    ]);
  }
  function traceView(id) {
    api("/traces/" + enc(id) + "/tree").then(function (data) {
      var t = data.trace;
      var rows = flatten(data.roots, 0, []);
      var t0 = Number(BigInt(t.start_unix_nano) / 1000n) / 1000;
      var span = Math.max(t.duration_ms, 0.001);
      var side = h("div", { class: "side" }, []);
      var tree = h("div", { class: "tree", "data-testid": "span-tree" }, rows.map(function (r) {
        var n = r.node;
        var offset = (Number(BigInt(n.start_unix_nano) / 1000n) / 1000) - t0;
        var bar = h("span", { class: "bar " + kindClass(n.kind) });
        bar.style.marginLeft = Math.min(100, (offset / span) * 100) + "%";
        bar.style.width = Math.max(0.5, (n.duration_ms / span) * 100) + "%";
        var node = h("div", { class: "node" + (n.status === "error" ? " err" : ""), "data-testid": "tree-node", "data-span-id": n.span_id, "data-depth": r.depth, tabindex: 0 }, [
          h("span", { class: "label" }, [h("span", { class: "indent" }), badge(n.kind), h("span", { class: "name", text: n.name }), n.status === "error" ? h("span", { class: "status error", text: "error" }) : null]),
          h("span", { class: "timeline" }, [bar]),
          h("span", { class: "dur", text: ms(n.duration_ms) }),
        ]);
        node.firstChild.firstChild.style.width = (r.depth * 18) + "px";
        node.onclick = function () { select(n, node); };
        return node;
      }));
      function select(n, el) {
        tree.querySelectorAll(".node.selected").forEach(function (x) { x.classList.remove("selected"); });
        el.classList.add("selected");
        side.replaceChildren(panel(n));
      }
      show([
        h("p", { class: "crumbs" }, [link("#/runs", "← Runs"), t.session_id ? h("span", {}, [" · session ", link("#/sessions/" + enc(t.session_id), t.session_id)]) : null, t.user_id ? h("span", {}, [" · user ", link("#/users/" + enc(t.user_id), t.user_id)]) : null]),
        h("h1", { "data-testid": "trace-title" }, [t.name + " ", status(t.status), sourceTag(t.source)]),
        h("p", { class: "muted", text: when(t.start_time) + " · " + ms(t.duration_ms) + " · " + t.span_count + " spans · " + tokens(t.total_tokens) + " tokens · " + (t.models.join(", ") || "no model") }),
        h("div", { class: "split" }, [tree, side]),
      ]);
      if (rows.length) select(rows[0].node, tree.firstChild);
    }).catch(fail);
  }

  // ---- sessions and users ----
  function groupList(kind) {
    var path = "/workspaces/" + enc(WS) + "/" + kind;
    var isSession = kind === "sessions";
    var body = h("tbody", {});
    var more = h("button", { class: "more", hidden: true, text: "Load more" });
    var heads = isSession ? ["Session", "Turns", "Users", "First turn", "Last turn", "Tokens", "Errors"] : ["User", "Runs", "Sessions", "First seen", "Last seen", "Tokens", "Errors"];
    show([h("h1", { text: isSession ? "Sessions" : "Users" }), h("table", { class: "list", "data-testid": kind + "-table" }, [h("thead", {}, [h("tr", {}, heads.map(function (c) { return h("th", { text: c }); }))]), body]), more]);
    function load(cursor) {
      api(path + qs({ cursor: cursor })).then(function (page) {
        page.items.forEach(function (g) {
          var href = "#/" + kind + "/" + enc(g.id);
          var row = h("tr", { class: "clickable", "data-testid": kind.slice(0, -1) + "-row" }, [
            h("td", {}, [link(href, g.id)]),
            h("td", { text: String(isSession ? g.turns : g.run_count) }),
            h("td", { text: (isSession ? g.user_ids : g.session_ids).join(", ") }),
            h("td", { text: when(g.first_start_time) }), h("td", { text: when(g.last_start_time) }),
            h("td", { text: tokens(g.total_tokens) }), h("td", { text: String(g.error_runs) }),
          ]);
          row.onclick = function (e) { if (e.target.tagName !== "A") location.hash = href; };
          body.appendChild(row);
        });
        if (!body.children.length) body.appendChild(h("tr", {}, [h("td", { colspan: 7, class: "muted", text: isSession ? "No sessions yet: pass convoId to group runs." : "No users yet: pass userId on your calls." })]));
        more.hidden = !page.next_cursor;
        more.onclick = function () { load(page.next_cursor); };
      }).catch(fail);
    }
    load(undefined);
  }
  function turnCard(t, i) {
    return h("article", { class: "turn", "data-testid": "turn" }, [
      h("header", {}, [h("strong", { text: "Turn " + (i + 1) + " " }), runLink(t.trace_id, t.name), " ", status(t.status), h("span", { class: "muted", text: " " + when(t.start_time) + " · " + ms(t.duration_ms) + (t.user_id ? " · " + t.user_id : "") })]),
      h("div", { class: "io" }, [h("div", {}, [h("h3", { text: "Input" }), h("pre", { text: pretty(t.input) || "—" })]), h("div", {}, [h("h3", { text: "Output" }), h("pre", { text: pretty(t.output) || "—" })])]),
    ]);
  }
  function sessionView(id) {
    api("/workspaces/" + enc(WS) + "/sessions/" + enc(id)).then(function (s) {
      show([
        h("p", { class: "crumbs" }, [link("#/sessions", "← Sessions")]),
        h("h1", { text: "Session " + s.session_id }),
        h("p", { class: "muted", text: s.turns + " turns · " + when(s.first_start_time) + " → " + when(s.last_end_time) + " · users: " + (s.user_ids.join(", ") || "—") }),
        h("div", { class: "turns", "data-testid": "session-turns" }, s.runs.map(turnCard)),
      ]);
    }).catch(fail);
  }
  function userView(id) {
    api("/workspaces/" + enc(WS) + "/users/" + enc(id)).then(function (u) {
      show([
        h("p", { class: "crumbs" }, [link("#/users", "← Users")]),
        h("h1", { text: "User " + u.user_id }),
        h("p", { class: "muted", text: u.run_count + " runs in " + u.session_ids.length + " sessions · first seen " + when(u.first_start_time) + " · last seen " + when(u.last_start_time) }),
        h("table", { class: "list", "data-testid": "user-runs" }, [h("tbody", {}, u.runs.map(function (t) {
          return h("tr", {}, [h("td", { text: when(t.start_time) }), h("td", {}, [runLink(t.trace_id, t.name)]), h("td", {}, [status(t.status)]), h("td", { text: t.session_id || "" }), h("td", { class: "preview", text: t.input_preview || "" })]);
        }))]),
      ]);
    }).catch(fail);
  }

  function askForKey() {
    var input = h("input", { name: "key", type: "password", placeholder: "bl_pk_dev_…", autocomplete: "off" });
    var form = h("form", { class: "keyform" }, [h("p", { text: "This server is not on loopback, so the viewer needs the dev API key printed by bentolabs dev." }), input, h("button", { type: "submit", text: "Open viewer" })]);
    form.onsubmit = function (e) { e.preventDefault(); apiKey = input.value.trim(); sessionStorage.setItem("bentolabs-api-key", apiKey); route(); };
    show([form]);
  }

  function route() {
    if (!apiKey) return askForKey();
    var hash = location.hash.replace(/^#/, "") || "/runs";
    var qIndex = hash.indexOf("?");
    var path = qIndex < 0 ? hash : hash.slice(0, qIndex);
    var params = {};
    new URLSearchParams(qIndex < 0 ? "" : hash.slice(qIndex + 1)).forEach(function (v, k) { params[k] = v; });
    var parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    document.querySelectorAll("nav a").forEach(function (a) { a.classList.toggle("active", a.getAttribute("data-nav") === parts[0]); });
    window.scrollTo(0, 0);
    if (parts[0] === "runs" && parts[1]) return traceView(parts[1]);
    if (parts[0] === "sessions") return parts[1] ? sessionView(parts[1]) : groupList("sessions");
    if (parts[0] === "users") return parts[1] ? userView(parts[1]) : groupList("users");
    return runsView(params);
  }
  window.addEventListener("hashchange", route);
  document.querySelector("[data-refresh]").onclick = function (e) { e.preventDefault(); route(); };
  route();
})();
`;
