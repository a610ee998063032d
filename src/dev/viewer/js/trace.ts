/**
 * Viewer script: one trajectory. The tree is rendered once as flat rows (fast for thousands of
 * spans); collapsing, searching and error-jumping only toggle classes. Live events re-read the
 * tree and keep selection, collapsed subtrees and the search.
 *
 * Up to FULL_TREE_MAX spans the whole tree comes at once with payloads (search covers inputs and
 * outputs). A larger trajectory is read in pages of TREE_PAGE spans in tree order from
 * /traces/{id}/nodes, without payloads: "Show more" appends the next page, a click on a span loads
 * that span's payloads, and search covers the names and error messages of the spans shown.
 */
export const TRACE_JS = String.raw`
  var FULL_TREE_MAX = 2000, TREE_PAGE = 1000;
  function kids(n) { return n.children ? n.children.length : n.child_count; }
  // paged nodes arrive in tree order with their depth: each one's parent is the last row one level up
  function fromPages(items) {
    var out = [], last = [];
    items.forEach(function (n) {
      last.length = n.depth;
      out.push({ node: n, depth: n.depth, parent: n.depth > 0 && last[n.depth - 1] !== undefined ? last[n.depth - 1] : -1, hay: null });
      last[n.depth] = out.length - 1;
    });
    return out;
  }
  // the first "count" spans in tree order, in pages of at most 2,000 (the API's cap)
  function fetchNodes(id, count) {
    var got = [];
    function next(cursor) {
      return api("/traces/" + enc(id) + "/nodes?limit=" + Math.min(2000, Math.max(1, count - got.length)) + (cursor ? "&cursor=" + enc(cursor) : "")).then(function (page) {
        got = got.concat(page.items);
        if (page.next_cursor && got.length < count) return next(page.next_cursor);
        return { trace: page.trace, total: page.total, items: got, next_cursor: page.next_cursor, paged: true };
      });
    }
    return next(null);
  }
  function flatten(nodes, depth, parent, out) {
    nodes.forEach(function (n) {
      var i = out.length;
      out.push({ node: n, depth: depth, parent: parent, hay: null });
      flatten(n.children, depth + 1, i, out);
    });
    return out;
  }
  function haystack(r) {
    if (r.hay === null) r.hay = (r.node.name + "\n" + (r.node.input || "").slice(0, 20000) + "\n" + (r.node.output || "").slice(0, 20000) + "\n" + (r.node.status_message || "")).toLowerCase();
    return r.hay;
  }
  function traceView(id) {
    var state = { selected: null, collapsed: {}, q: "", errorAt: -1 };
    var root = h("div", {}, [h("p", { class: "muted", text: "Loading…" })]);
    show([root]);
    // made once per view, not per render: a live refresh keeps what the user is typing (and its
    // focus) and the copy status they are waiting for
    var search = h("input", { type: "search", class: "search", "data-testid": "trace-search", placeholder: "search names, inputs, outputs", value: state.q });
    var timer = null, relayout = function () {};
    // the debounce lands on whichever render is current by then
    search.oninput = function () { clearTimeout(timer); timer = setTimeout(function () { state.q = search.value.trim(); relayout(); }, 120); };
    var copied = h("span", { class: "muted", "data-testid": "copy-status", "aria-live": "polite" });
    var copyMd = h("button", { class: "secondary", "data-testid": "copy-llm", text: "Copy for an LLM" });
    copyMd.onclick = function () {
      copied.textContent = "Copying…";
      apiText("/traces/" + enc(id) + "/export?format=markdown").then(function (text) {
        return navigator.clipboard.writeText(text).then(function () { copied.textContent = "Copied " + text.length + " characters of markdown"; });
      }).catch(function (e) { copied.textContent = "Copy failed: " + (e && e.message || e); });
    };
    // performance entries "bento:trace-load" (fetch + render) and "bento:tree-render" show in devtools and tests
    var paged = null; // { items, next_cursor, total } once the trajectory turned out too large for one read
    function loadPaged(count) { return fetchNodes(id, count).then(function (d) { paged = d; return d; }); }
    function load() {
      var t0 = performance.now();
      var read = paged
        ? loadPaged(Math.max(TREE_PAGE, paged.items.length))
        : api("/traces/" + enc(id)).then(function (t) { return t.span_count > FULL_TREE_MAX ? loadPaged(TREE_PAGE) : api("/traces/" + enc(id) + "/tree"); });
      return read.then(render).then(function () { performance.measure("bento:trace-load", { start: t0 }); });
    }
    function more() {
      if (!paged || !paged.next_cursor) return Promise.resolve();
      var t0 = performance.now();
      return api("/traces/" + enc(id) + "/nodes?limit=" + TREE_PAGE + "&cursor=" + enc(paged.next_cursor)).then(function (page) {
        paged = { trace: page.trace, total: page.total, items: paged.items.concat(page.items), next_cursor: page.next_cursor, paged: true };
        var y = window.scrollY;
        render(paged);
        window.scrollTo(0, y);
        performance.measure("bento:tree-more", { start: t0 });
      });
    }
    function render(data) {
      var started = performance.now();
      var t = data.trace;
      var rows = data.paged ? fromPages(data.items) : flatten(data.roots, 0, -1, []);
      var t0 = Number(BigInt(t.start_unix_nano) / 1000n) / 1000;
      var span = Math.max(t.duration_ms, 0.001);
      var side = h("div", { class: "side" }, []);
      var toggles = [];
      var els = rows.map(function (r, i) {
        var n = r.node;
        var offset = (Number(BigInt(n.start_unix_nano) / 1000n) / 1000) - t0;
        var bar = h("span", { class: "bar " + kindClass(n.kind) });
        bar.style.marginLeft = Math.min(100, (offset / span) * 100) + "%";
        bar.style.width = Math.max(0.5, (n.duration_ms / span) * 100) + "%";
        var toggle = kids(n) ? h("span", { class: "toggle", "data-testid": "toggle", title: "collapse / expand", text: "▾" }) : h("span", { class: "toggle none" });
        var indent = h("span", { class: "indent" });
        indent.style.width = (r.depth * 16) + "px";
        var el = h("div", { class: "node" + (n.status === "error" ? " err" : ""), "data-testid": "tree-node", "data-span-id": n.span_id, "data-depth": r.depth, tabindex: 0 }, [
          h("span", { class: "label" }, [indent, toggle, badge(n.kind), h("span", { class: "name", text: n.name }),
            n.status === "error" ? h("span", { class: "status error", text: "error" }) : null,
            n.cost_usd !== null && n.cost_usd !== undefined ? h("span", { class: "cost-tag", text: usd(n.cost_usd) }) : null]),
          h("span", { class: "timeline" }, [bar]),
          h("span", { class: "dur", text: ms(n.duration_ms) }),
        ]);
        toggles.push(toggle);
        toggle.onclick = function (e) { e.stopPropagation(); state.collapsed[n.span_id] = !state.collapsed[n.span_id]; layout(); };
        el.onclick = function () { select(i); };
        el.onkeydown = function (e) { if (e.key === "Enter") select(i); };
        return el;
      });
      var moreButton = null;
      if (data.paged && data.next_cursor) {
        moreButton = h("button", { class: "secondary more", "data-testid": "tree-more", text: "Show " + Math.min(TREE_PAGE, data.total - rows.length) + " more spans (" + rows.length + " of " + data.total + " shown)" });
        moreButton.onclick = function () { moreButton.disabled = true; moreButton.textContent = "Loading…"; more().catch(fail); };
      }
      var tree = h("div", { class: "tree", "data-testid": "span-tree" }, moreButton ? els.concat([moreButton]) : els);
      var errors = rows.map(function (r, i) { return r.node.status === "error" ? i : -1; }).filter(function (i) { return i >= 0; });

      function select(i) {
        tree.querySelectorAll(".node.selected").forEach(function (x) { x.classList.remove("selected"); });
        els[i].classList.add("selected");
        var n = rows[i].node;
        state.selected = n.span_id;
        if (!data.paged) return side.replaceChildren(panel(n));
        // paged nodes carry no payloads: the panel reads the span itself
        side.replaceChildren(h("p", { class: "muted", "data-testid": "panel-loading", text: "Loading span…" }));
        api("/spans/" + enc(n.span_id)).then(function (full) {
          if (state.selected === n.span_id) side.replaceChildren(panel(full));
        }).catch(function (e) { if (state.selected === n.span_id) side.replaceChildren(h("div", { class: "fail-box", text: String(e && e.message || e) })); });
      }
      // visibility: hidden under a collapsed ancestor, or (while searching) neither a match nor an ancestor of one
      function layout() {
        var q = state.q.toLowerCase();
        var keep = null, matches = 0;
        if (q) {
          keep = new Array(rows.length);
          rows.forEach(function (r, i) {
            if (haystack(r).indexOf(q) < 0) return;
            matches++;
            els[i].classList.add("match");
            for (var p = i; p >= 0 && !keep[p]; p = rows[p].parent) keep[p] = true;
          });
        }
        var hiddenBelow = Infinity;
        rows.forEach(function (r, i) {
          if (keep === null || !keep[i] || haystack(r).indexOf(q) < 0) els[i].classList.remove("match");
          if (r.depth <= hiddenBelow) hiddenBelow = Infinity;
          var hide = r.depth > hiddenBelow || (keep !== null && !keep[i]);
          if (els[i].hidden !== hide) els[i].hidden = hide;
          var folded = !!state.collapsed[r.node.span_id];
          if (kids(r.node)) toggles[i].textContent = folded ? "▸" : "▾";
          if (folded && hiddenBelow === Infinity) hiddenBelow = r.depth;
        });
        count.textContent = q ? matches + (matches === 1 ? " match" : " matches") : rows.length + (rows.length === 1 ? " span" : " spans") + (data.paged && data.next_cursor ? " of " + data.total + " shown" : "");
      }
      function reveal(i) {
        for (var p = rows[i].parent; p >= 0; p = rows[p].parent) state.collapsed[rows[p].node.span_id] = false;
        layout();
        select(i);
        els[i].scrollIntoView({ block: "center" });
      }

      relayout = layout;
      var count = h("span", { class: "muted", "data-testid": "search-count" });
      var collapseAll = h("button", { class: "secondary", "data-testid": "collapse-all", text: "Collapse all" });
      collapseAll.onclick = function () { rows.forEach(function (r) { if (kids(r.node) && r.depth > 0) state.collapsed[r.node.span_id] = true; }); rows.forEach(function (r) { if (r.depth === 0 && kids(r.node)) state.collapsed[r.node.span_id] = false; }); layout(); };
      var expandAll = h("button", { class: "secondary", "data-testid": "expand-all", text: "Expand all" });
      expandAll.onclick = function () { state.collapsed = {}; layout(); };
      var nextError = h("button", { class: errors.length ? "danger" : "secondary", "data-testid": "next-error", disabled: !errors.length, text: errors.length ? "Next error (" + errors.length + ")" : "No errors" });
      nextError.onclick = function () { state.errorAt = (state.errorAt + 1) % errors.length; reveal(errors[state.errorAt]); };
      var exportOtlp = h("button", { class: "secondary", "data-testid": "export-otlp", text: "⤓ OTLP JSON" });
      exportOtlp.onclick = function () { apiText("/traces/" + enc(id) + "/export?format=otlp").then(function (text) { saveFile("trace-" + id + ".otlp.json", "application/json", text); }).catch(fail); };
      var exportJsonl = h("button", { class: "secondary", "data-testid": "export-jsonl", text: "⤓ JSON lines" });
      exportJsonl.onclick = function () { apiText("/traces/" + enc(id) + "/export?format=jsonl").then(function (text) { saveFile("trace-" + id + ".jsonl", "application/x-ndjson", text); }).catch(fail); };

      var typing = document.activeElement === search;
      root.replaceChildren(
        h("p", { class: "crumbs" }, [link("#/runs", "← Runs"), t.session_id ? h("span", {}, [" · session ", link("#/sessions/" + enc(t.session_id), t.session_id)]) : null, t.user_id ? h("span", {}, [" · user ", link("#/users/" + enc(t.user_id), t.user_id)]) : null]),
        h("h1", { "data-testid": "trace-title" }, [t.name + " ", status(t.status), sourceTag(t.source)]),
        h("p", { class: "muted", "data-testid": "trace-facts", text: when(t.start_time) + " · " + ms(t.duration_ms) + " · " + t.span_count + " spans · " + tokens(t.total_tokens) + " tokens · cost " + usd(t.cost_usd) + (t.unpriced_spans ? " (+" + t.unpriced_spans + " unpriced)" : "") + " · " + (t.models.join(", ") || "no model") }),
        h("div", { class: "toolbar" }, [search, count, collapseAll, expandAll, nextError, h("span", { class: "spacer" }), exportOtlp, exportJsonl, copyMd, copied]),
        h("div", { class: "split" }, [tree, side]),
      );
      if (typing) search.focus();
      layout();
      var keepSel = -1;
      rows.forEach(function (r, i) { if (r.node.span_id === state.selected) keepSel = i; });
      if (rows.length) select(keepSel >= 0 ? keepSel : 0);
      performance.measure("bento:tree-render", { start: started });
    }
    // errors render inside the view, so a run opened before its spans arrive appears once they do
    load().catch(function (err) { root.replaceChildren(h("div", { class: "fail-box", "data-testid": "error", text: String(err && err.message || err) })); });
    var busy = false, again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      load().catch(function () { /* the next event retries */ }).then(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    liveHandler = function (ev) { if (ev.overflow || ev.trace_ids.indexOf(id) >= 0) refresh(); };
  }
`;
