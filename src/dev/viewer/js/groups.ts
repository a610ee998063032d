/** Viewer script: sessions and users (run count, p50/p95 duration, tokens, cost), and one of each. */
export const GROUPS_JS = String.raw`
  function statLine(g, count) {
    return count + " · p50 " + ms(g.p50_duration_ms) + " · p95 " + ms(g.p95_duration_ms) + " · " + tokens(g.total_tokens) + " tokens · cost " + usd(g.cost_usd) + (g.unpriced_spans ? " (+" + g.unpriced_spans + " unpriced)" : "");
  }
  function groupList(kind) {
    var path = "/workspaces/" + enc(WS) + "/" + kind;
    var isSession = kind === "sessions";
    var body = h("tbody", {});
    var more = h("button", { class: "more", hidden: true, text: "Load more" });
    var heads = [isSession ? "Session" : "User", isSession ? "Turns" : "Runs", isSession ? "Users" : "Sessions", isSession ? "First turn" : "First seen", isSession ? "Last turn" : "Last seen", "p50", "p95", "Tokens", "Cost", "Errors"];
    show([h("h1", { text: isSession ? "Sessions" : "Users" }), h("table", { class: "list", "data-testid": kind + "-table" }, [h("thead", {}, [h("tr", {}, heads.map(function (c) { return h("th", { text: c }); }))]), body]), more]);
    function load(cursor) {
      api(path + qs({ cursor: cursor })).then(function (page) {
        page.items.forEach(function (g) {
          var href = "#/" + kind + "/" + enc(g.id);
          var row = h("tr", { class: "clickable", "data-testid": kind.slice(0, -1) + "-row" }, [
            h("td", {}, [link(href, g.id)]),
            h("td", { class: "num", "data-testid": "run-count", text: String(isSession ? g.turns : g.run_count) }),
            h("td", { text: (isSession ? g.user_ids : g.session_ids).join(", ") }),
            h("td", { text: when(g.first_start_time) }), h("td", { text: when(g.last_start_time) }),
            h("td", { class: "num", "data-testid": "p50", text: ms(g.p50_duration_ms) }), h("td", { class: "num", "data-testid": "p95", text: ms(g.p95_duration_ms) }),
            h("td", { class: "num", "data-testid": "tokens", text: tokens(g.total_tokens) }), costCell(g), h("td", { class: "num", text: String(g.error_runs) }),
          ]);
          row.onclick = function (e) { if (e.target.tagName !== "A") location.hash = href; };
          body.appendChild(row);
        });
        if (!body.children.length) body.appendChild(h("tr", {}, [h("td", { colspan: 10, class: "muted", text: isSession ? "No sessions yet: pass convoId to group runs." : "No users yet: pass userId on your calls." })]));
        more.hidden = !page.next_cursor;
        more.onclick = function () { load(page.next_cursor); };
      }).catch(fail);
    }
    load(undefined);
  }
  function turnCard(t, i) {
    return h("article", { class: "turn", "data-testid": "turn" }, [
      h("header", {}, [h("strong", { text: "Turn " + (i + 1) + " " }), runLink(t.trace_id, t.name), " ", status(t.status), h("span", { class: "muted", text: " " + when(t.start_time) + " · " + ms(t.duration_ms) + " · " + usd(t.cost_usd) + (t.user_id ? " · " + t.user_id : "") })]),
      h("div", { class: "io" }, [h("div", {}, [h("h3", { text: "Input" }), h("pre", { text: pretty(t.input) || "—" })]), h("div", {}, [h("h3", { text: "Output" }), h("pre", { text: pretty(t.output) || "—" })])]),
    ]);
  }
  function sessionView(id) {
    api("/workspaces/" + enc(WS) + "/sessions/" + enc(id)).then(function (s) {
      show([
        h("p", { class: "crumbs" }, [link("#/sessions", "← Sessions")]),
        h("h1", { text: "Session " + s.session_id }),
        h("p", { class: "muted", "data-testid": "group-stats", text: statLine(s, s.turns + " turns") + " · " + when(s.first_start_time) + " → " + when(s.last_end_time) + " · users: " + (s.user_ids.join(", ") || "—") }),
        h("div", { class: "turns", "data-testid": "session-turns" }, s.runs.map(turnCard)),
      ]);
    }).catch(fail);
  }
  function userView(id) {
    api("/workspaces/" + enc(WS) + "/users/" + enc(id)).then(function (u) {
      show([
        h("p", { class: "crumbs" }, [link("#/users", "← Users")]),
        h("h1", { text: "User " + u.user_id }),
        h("p", { class: "muted", "data-testid": "group-stats", text: statLine(u, u.run_count + " runs in " + u.session_ids.length + " sessions") + " · first seen " + when(u.first_start_time) + " · last seen " + when(u.last_start_time) }),
        h("table", { class: "list", "data-testid": "user-runs" }, [h("tbody", {}, u.runs.map(function (t) {
          return h("tr", {}, [h("td", { text: when(t.start_time) }), h("td", {}, [runLink(t.trace_id, t.name)]), h("td", {}, [status(t.status)]), h("td", { class: "num", text: ms(t.duration_ms) }), h("td", { class: "num", text: tokens(t.total_tokens) }), costCell(t), h("td", { text: t.session_id || "" }), h("td", { class: "preview", text: t.input_preview || "" })]);
        }))]),
      ]);
    }).catch(fail);
  }
`;
