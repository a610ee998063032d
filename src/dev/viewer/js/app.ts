/** Viewer script: the live connection (server-sent events read with fetch, so the key stays in a header) and the router. */
export const APP_JS = String.raw`
  var liveDot = document.querySelector("[data-live]");
  function setLive(on) { liveDot.classList.toggle("on", on); liveDot.title = on ? "Live: new runs appear as they arrive" : "Not live: reconnecting…"; liveDot.textContent = on ? "● live" : "○ offline"; }
  function connectLive() {
    if (!apiKey) return;
    request("/workspaces/" + enc(WS) + "/live").then(function (r) {
      if (!r.ok || !r.body) throw new Error("live " + r.status);
      setLive(true);
      var reader = r.body.getReader(), dec = new TextDecoder(), buf = "";
      function pump() {
        return reader.read().then(function (x) {
          if (x.done) throw new Error("live stream closed");
          buf += dec.decode(x.value, { stream: true });
          var cut;
          while ((cut = buf.indexOf("\n\n")) >= 0) {
            var data = buf.slice(0, cut).split("\n").filter(function (l) { return l.indexOf("data: ") === 0; })[0];
            buf = buf.slice(cut + 2);
            if (data && liveHandler) liveHandler(JSON.parse(data.slice(6)));
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () { setLive(false); setTimeout(connectLive, 3000); });
  }

  function askForKey() {
    var input = h("input", { name: "key", type: "password", placeholder: "bl_pk_dev_…", autocomplete: "off" });
    var form = h("form", { class: "keyform" }, [h("p", { text: "This server is not on loopback, so the viewer needs the dev API key printed by bentolabs dev." }), input, h("button", { type: "submit", text: "Open viewer" })]);
    form.onsubmit = function (e) { e.preventDefault(); apiKey = input.value.trim(); sessionStorage.setItem("bentolabs-api-key", apiKey); route(); connectLive(); };
    show([form]);
  }

  function route() {
    liveHandler = null;
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
    if (parts[0] === "compare" && parts[2]) return compareView(parts[1], parts[2]);
    if (parts[0] === "sessions") return parts[1] ? sessionView(parts[1]) : groupList("sessions");
    if (parts[0] === "users") return parts[1] ? userView(parts[1]) : groupList("users");
    return runsView(params);
  }
  window.addEventListener("hashchange", route);
  document.querySelector("[data-refresh]").onclick = function (e) { e.preventDefault(); route(); };
  route();
  connectLive();
`;
