/**
 * Viewer script: the span panel. Chat messages read as a conversation (roles, tool calls, tool
 * results), span events with exception stacks, and the raw span JSON one click away.
 */
export const PANEL_JS = String.raw`
  function block(title, text, testid) {
    return h("section", { class: "block" }, [h("h3", { text: title }), h("pre", { "data-testid": testid, text: text || "—" })]);
  }
  function messageEl(m) {
    var calls = (m.tool_calls || []).map(function (c) {
      return h("div", { class: "tool-call", "data-testid": "tool-call" }, [h("span", { class: "tag", text: "tool call" }), h("code", { text: c.name }), c.id ? h("span", { class: "muted", text: " " + c.id }) : null, h("pre", { text: pretty(c.arguments) })]);
    });
    var role = m.role === "tool" ? "tool result" + (m.tool_call_id ? " · " + m.tool_call_id : "") : m.role + (m.name ? " · " + m.name : "");
    return h("div", { class: "msg role-" + (["system", "user", "assistant", "tool"].indexOf(m.role) >= 0 ? m.role : "other"), "data-testid": "message", "data-role": m.role }, [
      h("div", { class: "role", text: role }),
      m.content !== null && m.content !== undefined ? h("div", { class: "content", text: m.content }) : null,
    ].concat(calls));
  }
  function conversation(c) {
    return h("section", { class: "block convo", "data-testid": "conversation" }, [
      h("h3", { text: "Conversation" }),
      h("div", { class: "msgs" }, c.input.map(messageEl)),
      c.output.length ? h("h3", { text: "Response" }) : null,
      h("div", { class: "msgs", "data-testid": "response" }, c.output.map(messageEl)),
    ]);
  }
  function eventsEl(events) {
    return h("section", { class: "block", "data-testid": "panel-events" }, [h("h3", { text: "Events" })].concat(events.map(function (e) {
      var a = e.attributes || {};
      var at = e.time_unix_nano ? new Date(Number(BigInt(e.time_unix_nano) / 1000000n)).toISOString() : "";
      if (e.name === "exception") {
        return h("div", { class: "event exception", "data-testid": "panel-exception" }, [
          h("div", {}, [h("strong", { text: (a["exception.type"] || "Exception") + ": " }), String(a["exception.message"] || ""), h("span", { class: "muted", text: " " + at })]),
          a["exception.stacktrace"] ? h("pre", { class: "stack", text: String(a["exception.stacktrace"]) }) : null,
        ]);
      }
      var rest = Object.keys(a).length ? h("pre", { text: JSON.stringify(a, null, 2) }) : null;
      return h("div", { class: "event" }, [h("div", {}, [h("strong", { text: e.name }), h("span", { class: "muted", text: " " + at })]), rest]);
    })));
  }
  function costText(s) {
    if (s.cost_usd === null || s.cost_usd === undefined) return s.input_tokens === null && s.output_tokens === null ? null : "— (model not in the price table)";
    var c = s.cost;
    return usd(c.usd) + " (input " + usd(c.input_usd) + ", cached " + usd(c.cached_input_usd) + ", output " + usd(c.output_usd) + "; " + c.priced_as + ", prices " + c.prices_version + ")";
  }
  function panel(s) {
    var facts = [
      ["Kind", s.span_kind || s.kind], ["Status", s.status + (s.status_message ? ": " + s.status_message : "")],
      ["Start", s.start_time], ["Duration", ms(s.duration_ms)], ["Model", s.model], ["Provider", s.provider],
      ["User", s.user_id], ["Session", s.session_id], ["Tokens in / out", s.input_tokens === null && s.output_tokens === null ? null : tokens(s.input_tokens) + " / " + tokens(s.output_tokens)],
      ["Cached input", s.cached_input_tokens], ["Cost", costText(s)],
      ["Tags", s.tags ? s.tags.join(", ") : null], ["Span id", s.span_id],
      ["Environment", s.resource ? s.resource["deployment.environment.name"] : null], ["Release", s.resource ? s.resource["service.version"] : null],
    ].filter(function (f) { return f[1] !== null && f[1] !== undefined; });
    var raw = h("pre", { class: "raw", "data-testid": "raw-json", hidden: true });
    var rawBtn = h("button", { class: "secondary small", "data-testid": "raw-toggle", text: "Raw JSON" });
    rawBtn.onclick = function () {
      if (raw.hidden) { var copy = Object.assign({}, s); delete copy.children; raw.textContent = JSON.stringify(copy, null, 2); }
      raw.hidden = !raw.hidden;
      rawBtn.textContent = raw.hidden ? "Raw JSON" : "Hide raw JSON";
    };
    var io = s.messages ? [conversation(s.messages)] : [block("Input", pretty(s.input), "panel-input"), block("Output", pretty(s.output), "panel-output")];
    return h("div", { class: "panel", "data-testid": "span-panel" }, [
      h("div", { class: "panel-head" }, [h("h2", {}, [s.name + " ", badge(s.kind)]), rawBtn]),
      raw,
      h("dl", {}, facts.reduce(function (acc, f) { acc.push(h("dt", { text: f[0] }), h("dd", { text: String(f[1]) })); return acc; }, [])),
    ].concat(io, [
      s.events.length ? eventsEl(s.events) : null,
      block("Attributes", JSON.stringify(s.attributes, null, 2), "panel-attributes"),
    ]));
  }
`;
