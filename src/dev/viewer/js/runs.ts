/** Viewer script: the runs list (filters, sortable columns, live updates, pick two to compare). */
export const RUNS_JS = String.raw`
  var SORTS = { started: function (t) { return Number(BigInt(t.start_unix_nano) / 1000n); }, duration: function (t) { return t.duration_ms; },
    tokens: function (t) { return t.total_tokens === null ? -1 : t.total_tokens; }, cost: function (t) { return t.cost_usd === null ? -1 : t.cost_usd; } };
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
    var items = [];
    var seen = {};
    var picked = [];
    var sort = { key: "started", dir: -1 };
    var nextCursor = null;
    var body = h("tbody", {});
    var compareBtn = h("button", { class: "secondary", "data-testid": "compare-button", disabled: true, text: "Compare 2 runs" });
    compareBtn.onclick = function () { location.hash = "#/compare/" + enc(picked[0]) + "/" + enc(picked[1]); };
    var headRow = h("tr", {}, [h("th", { title: "pick two runs to compare" })]);
    [["Started", "started"], ["Run"], ["Status"], ["Models"], ["Spans"], ["Tokens", "tokens"], ["Cost", "cost"], ["Duration", "duration"], ["User"], ["Session"], ["Input"]].forEach(function (c) {
      if (!c[1]) return headRow.appendChild(h("th", { text: c[0] }));
      var th = h("th", { class: "sortable", "data-testid": "sort-" + c[1], "data-sort": c[1], text: c[0] });
      th.onclick = function () { sort = { key: c[1], dir: sort.key === c[1] ? -sort.dir : -1 }; render(); };
      headRow.appendChild(th);
    });
    var table = h("table", { class: "list", "data-testid": "runs-table" }, [h("thead", {}, [headRow]), body]);
    var more = h("button", { class: "more", hidden: true, text: "Load more" });
    show([h("div", { class: "titlebar" }, [h("h1", { text: "Runs" }), compareBtn]), form, table, more]);
    var query = Object.assign({}, params);
    ["start_time", "end_time"].forEach(function (k) { if (query[k]) query[k] = new Date(query[k]).toISOString(); });

    function row(t, fresh) {
      var box = h("input", { type: "checkbox", "data-testid": "pick-run", checked: picked.indexOf(t.trace_id) >= 0 });
      box.onclick = function (e) { e.stopPropagation(); };
      box.onchange = function () {
        picked = picked.filter(function (id) { return id !== t.trace_id; });
        if (box.checked) picked.push(t.trace_id);
        if (picked.length > 2) picked.shift();
        render();
      };
      var tr = h("tr", { class: "clickable" + (fresh ? " fresh" : ""), "data-testid": "run-row", "data-trace-id": t.trace_id }, [
        h("td", {}, [box]),
        h("td", { text: when(t.start_time) }),
        h("td", {}, [runLink(t.trace_id, t.name || "(unnamed)"), sourceTag(t.source)]),
        h("td", {}, [status(t.status)]),
        h("td", { text: t.models.join(", ") }),
        h("td", { class: "num", text: String(t.span_count) }),
        h("td", { class: "num", "data-testid": "tokens", text: tokens(t.total_tokens) }),
        costCell(t),
        h("td", { class: "num", "data-testid": "duration", text: ms(t.duration_ms) }),
        h("td", {}, [t.user_id ? link("#/users/" + enc(t.user_id), t.user_id) : ""]),
        h("td", {}, [t.session_id ? link("#/sessions/" + enc(t.session_id), t.session_id) : ""]),
        h("td", { class: "preview", text: t.input_preview || "" }),
      ]);
      tr.onclick = function (e) { if (e.target.tagName !== "A" && e.target.tagName !== "INPUT") location.hash = "#/runs/" + enc(t.trace_id); };
      return tr;
    }
    function render(fresh) {
      var by = SORTS[sort.key];
      var sorted = items.slice().sort(function (a, b) { return (by(a) - by(b)) * sort.dir || (a.trace_id < b.trace_id ? 1 : -1); });
      body.replaceChildren.apply(body, sorted.map(function (t) { return row(t, fresh && fresh[t.trace_id]); }));
      if (!items.length) body.appendChild(h("tr", {}, [h("td", { colspan: 12, class: "muted", text: "No runs yet. Point the SDK at this server and run your agent: runs appear here live." })]));
      headRow.querySelectorAll("th.sortable").forEach(function (th) {
        var on = th.getAttribute("data-sort") === sort.key;
        th.classList.toggle("sorted", on);
        th.setAttribute("aria-sort", on ? (sort.dir < 0 ? "descending" : "ascending") : "none");
      });
      compareBtn.disabled = picked.length !== 2;
      more.hidden = !nextCursor;
    }
    function load(cursor, replace) {
      var q = Object.assign({}, query, { cursor: cursor });
      if (replace) q.limit = String(Math.min(500, Math.max(50, items.length)));
      return api("/workspaces/" + enc(WS) + "/traces" + qs(q)).then(function (page) {
        var fresh = {};
        if (replace) { items = []; nextCursor = page.next_cursor; }
        else nextCursor = page.next_cursor;
        page.items.forEach(function (t) { if (replace && !seen[t.trace_id]) fresh[t.trace_id] = true; seen[t.trace_id] = true; items.push(t); });
        render(fresh);
      });
    }
    more.onclick = function () { load(nextCursor, false).catch(fail); };
    load(undefined, false).catch(fail);
    // a live event re-reads the loaded runs (one request at a time; a burst collapses into one re-read)
    var busy = false, again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      load(undefined, true).catch(function () { /* the next event retries */ }).then(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    liveHandler = refresh;
  }
`;
