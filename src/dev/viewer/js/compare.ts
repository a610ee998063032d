/**
 * Viewer script: two runs side by side. Steps are matched by their path of names (the n-th
 * "search" under the n-th "plan"), so the table shows steps only one run has (tree shape),
 * per-step duration, token and cost deltas, and whether outputs differ.
 */
export const COMPARE_JS = String.raw`
  function keyed(roots) {
    var out = [];
    (function walk(nodes, prefix, depth) {
      var seen = {};
      nodes.forEach(function (n) {
        seen[n.name] = (seen[n.name] || 0) + 1;
        var key = prefix + "/" + n.name + "#" + seen[n.name];
        out.push({ key: key, node: n, depth: depth });
        walk(n.children, key, depth + 1);
      });
    })(roots, "", 0);
    return out;
  }
  function mergeSteps(a, b) {
    var inA = {};
    a.forEach(function (r) { inA[r.key] = r; });
    var merged = a.map(function (r) { return { key: r.key, depth: r.depth, a: r.node, b: null }; });
    var at = {};
    merged.forEach(function (m, i) { at[m.key] = m; });
    var last = -1;
    b.forEach(function (r) {
      if (at[r.key]) { at[r.key].b = r.node; last = merged.indexOf(at[r.key]); return; }
      var m = { key: r.key, depth: r.depth, a: null, b: r.node };
      merged.splice(last + 1, 0, m);
      at[r.key] = m;
      last = last + 1;
    });
    return merged;
  }
  function delta(a, b, fmt) {
    if (a === null || a === undefined || b === null || b === undefined) return h("td", { class: "num muted", text: "" });
    var d = b - a;
    return h("td", { class: "num delta " + (d > 0 ? "up" : d < 0 ? "down" : ""), text: signed(d, fmt) });
  }
  function tok(n) { return n && (n.input_tokens !== null || n.output_tokens !== null) ? (n.input_tokens || 0) + (n.output_tokens || 0) : null; }
  function compareView(idA, idB) {
    Promise.all([api("/traces/" + enc(idA) + "/tree"), api("/traces/" + enc(idB) + "/tree")]).then(function (both) {
      var A = both[0], B = both[1];
      var steps = mergeSteps(keyed(A.roots), keyed(B.roots));
      var onlyA = steps.filter(function (s) { return !s.b; }).length, onlyB = steps.filter(function (s) { return !s.a; }).length;
      var head = h("tr", {}, ["Step", "Duration A", "Duration B", "Δ", "Tokens A", "Tokens B", "Δ", "Cost A", "Cost B", "Δ", "Output"].map(function (c) { return h("th", { text: c }); }));
      var body = h("tbody", {}, steps.map(function (s) {
        var n = s.a || s.b;
        var name = h("span", { class: "label" }, [h("span", { class: "indent" }), badge(n.kind), h("span", { class: "name", text: n.name })]);
        name.firstChild.style.width = (s.depth * 16) + "px";
        var shape = !s.a ? h("span", { class: "only", text: "only in B" }) : !s.b ? h("span", { class: "only", text: "only in A" }) : null;
        var out = !s.a || !s.b ? "" : s.a.output === s.b.output ? "same" : "differs";
        var outCell = h("td", { class: out === "differs" ? "differs" : "muted", "data-testid": "output-diff", text: out });
        if (out === "differs") outCell.title = "A: " + (s.a.output || "").slice(0, 300) + "\nB: " + (s.b.output || "").slice(0, 300);
        return h("tr", { class: !s.a ? "only-b" : !s.b ? "only-a" : "", "data-testid": "compare-row", "data-key": s.key }, [
          h("td", {}, [name, shape]),
          h("td", { class: "num", text: s.a ? ms(s.a.duration_ms) : "" }), h("td", { class: "num", text: s.b ? ms(s.b.duration_ms) : "" }),
          delta(s.a && s.a.duration_ms, s.b && s.b.duration_ms, ms),
          h("td", { class: "num", text: s.a ? tokens(tok(s.a)) : "" }), h("td", { class: "num", text: s.b ? tokens(tok(s.b)) : "" }),
          delta(tok(s.a), tok(s.b), String),
          h("td", { class: "num", text: s.a ? usd(s.a.cost_usd) : "" }), h("td", { class: "num", text: s.b ? usd(s.b.cost_usd) : "" }),
          delta(s.a && s.a.cost_usd, s.b && s.b.cost_usd, usd),
          outCell,
        ]);
      }));
      function card(label, t, id) {
        return h("div", { class: "cmp-card", "data-testid": "compare-" + label.toLowerCase() }, [
          h("h2", {}, [label + ": ", runLink(id, t.name), " ", status(t.status)]),
          h("p", { class: "muted", text: when(t.start_time) + " · " + ms(t.duration_ms) + " · " + t.span_count + " spans · " + tokens(t.total_tokens) + " tokens · " + usd(t.cost_usd) }),
          h("h3", { text: "Final output" }), h("pre", { "data-testid": "final-output", text: pretty(t.output) || "—" }),
        ]);
      }
      var a = A.trace, b = B.trace;
      show([
        h("p", { class: "crumbs" }, [link("#/runs", "← Runs")]),
        h("h1", { text: "Compare runs" }),
        h("p", { class: "muted", "data-testid": "compare-summary", text: "B vs A: duration " + signed(b.duration_ms - a.duration_ms, ms) + " · tokens " + signed((b.total_tokens || 0) - (a.total_tokens || 0), String) +
          (a.cost_usd !== null && b.cost_usd !== null ? " · cost " + signed(b.cost_usd - a.cost_usd, usd) : "") + " · " + onlyA + " step(s) only in A, " + onlyB + " only in B" }),
        h("div", { class: "cmp" }, [card("A", a, idA), card("B", b, idB)]),
        h("table", { class: "list compare", "data-testid": "compare-table" }, [h("thead", {}, [head]), body]),
      ]);
    }).catch(fail);
  }
`;
