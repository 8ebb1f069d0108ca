// DVV.ZkRisk dashboard: plain script, no build step, no dependency. Reads the venue's /api/* endpoints (live, with
// server-sent events for new epochs) or, in the offline report of `dvv-zk audit --html`, the JSON embedded in the
// page. Everything from the data is inserted as text (textContent), never as markup.
"use strict";
(function () {
  const embedded = JSON.parse(document.getElementById("dvv-data").textContent || "null");
  const offline = embedded !== null;
  const $ = (id) => document.getElementById(id);
  let chain = null;          // the last /api/chain
  let selected = null;       // the epoch shown
  let following = true;      // select each new epoch as it arrives, until the user picks another
  let detail = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  const short = (hex) => hex ? hex.slice(0, 16) + "\u2026" : "none";
  const utc = (ms) => ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "";
  const fmt = (x, d) => Number(x).toLocaleString("en-US", { maximumFractionDigits: d === undefined ? 4 : d });
  const bytes = (n) => n >= 1048576 ? fmt(n / 1048576, 2) + " MB (" + fmt(n, 0) + " B)" : n >= 1024 ? fmt(n / 1024, 1) + " KB (" + fmt(n, 0) + " B)" : fmt(n, 0) + " B";
  const pct = (x) => (x > 0 ? "+" : "") + fmt(100 * x, 1) + "%";

  function showError(msg) {
    const e = $("error");
    if (!msg) { e.hidden = true; e.textContent = ""; return; }
    e.hidden = false; e.textContent = msg;
  }

  async function getJson(path) {
    if (offline) {
      if (path === "api/chain") return embedded.chain;
      const m = /^api\/epochs\/(\d+)$/.exec(path);
      if (m && embedded.epochs[m[1]]) return embedded.epochs[m[1]];
      throw new Error("not in this report: " + path);
    }
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    if (!r.ok) throw new Error((body && body.error) || ("HTTP " + r.status));
    return body;
  }

  function chartSrc(epoch, which) {
    if (!offline) return "api/epochs/" + epoch + "/lsf-" + which + ".svg";
    const svg = embedded.charts[String(epoch)] && embedded.charts[String(epoch)][which];
    return svg ? "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg) : "";
  }

  // ---- the chain --------------------------------------------------------------------------------------------------

  function stateWord(state, text) { return el("span", { class: "state state-" + state, text: state }, text ? " " : null, text || null); }

  function renderChain() {
    const c = chain;
    const src = [c.source];
    if (c.governanceRoot) src.push("governance root " + short(c.governanceRoot));
    if (c.committee) src.push("verifier committee " + short(c.committee.id) + ", " + c.committee.threshold + " of " + c.committee.members.length + " (" + c.committee.members.join(", ") + ")");
    $("source").textContent = src.join("; ") + ". Generated " + utc(c.generatedAtUnixMs) + ".";
    const trust = $("trust");
    trust.replaceChildren();
    if (c.trusted.length) trust.append(el("p", { class: "note", text: "Taken on trust, not checked: " + c.trusted.join("; ") + "." }));
    const problems = (c.problems || []).map((x) => x.check + ": " + x.where + ": " + x.message).concat(c.error ? [c.error] : []);
    if (problems.length) trust.append(el("p", { class: "state state-invalid", text: "Problems: " + problems.join("; ") }));
    const body = $("chain").tBodies[0];
    body.replaceChildren();
    for (const p of c.pending) {
      body.append(el("tr", { "data-epoch": p, class: "pending" },
        el("td", {}, "epoch " + p), el("td", { colspan: 9 }, stateWord("pending", "sealed; being verified here"))));
    }
    for (const r of c.epochs) {
      const q = r.quorum, v = r.verification;
      const btn = el("button", { type: "button", "aria-label": "show epoch " + r.epoch, text: "epoch " + r.epoch });
      btn.addEventListener("click", () => { following = r.epoch === c.epochs[0].epoch; select(r.epoch); });
      const signers = q.signers.length ? " by " + q.signers.join(", ") : "";
      const findings = v.findings.length ? " (" + v.findings.length + " finding" + (v.findings.length > 1 ? "s" : "") + ": " + v.findings[0].check + ")" : "";
      body.append(el("tr", { "data-epoch": r.epoch, class: r.epoch === selected ? "selected" : null },
        el("td", {}, btn),
        el("td", { text: r.kind + (r.kind === "incremental" ? " (on checkpoint " + r.checkpointEpoch + ")" : "") }),
        el("td", { class: "hash", title: r.bundleHash, text: short(r.bundleHash) }),
        el("td", { class: "hash", title: r.parentHash || "none (first bundle)", text: short(r.parentHash) }),
        el("td", { class: "num", text: fmt(r.traders, 0) }),
        el("td", { class: "num", text: fmt(r.submissions, 0) }),
        el("td", { class: "num", text: bytes(r.bundleBytes) }),
        el("td", { "data-quorum": q.state }, stateWord(q.state, q.state === "published" ? q.attestations + " of " + q.threshold + " required" + signers : q.text)),
        el("td", { "data-verification": v.state }, stateWord(v.state, findings || (v.state === "valid" ? "in " + fmt(v.verifyMs, 0) + " ms" : ""))),
        el("td", { text: utc(r.sealedAtUnixMs) })));
    }
    if (c.epochs.length === 0 && c.pending.length === 0)
      body.append(el("tr", {}, el("td", { colspan: 10, text: "No epoch has been sealed yet." })));
  }

  async function loadChain() {
    chain = await getJson("api/chain");
    renderChain();
    const newest = chain.epochs.length ? chain.epochs[0].epoch : null;
    if (newest !== null && (selected === null || (following && newest !== selected))) await select(newest);
    else if (selected !== null && !offline) await select(selected);   // its row may have changed (published, verified)
  }

  // ---- one epoch --------------------------------------------------------------------------------------------------

  async function select(epoch) {
    selected = epoch;
    for (const tr of $("chain").tBodies[0].rows) tr.classList.toggle("selected", Number(tr.dataset.epoch) === epoch);
    try { detail = await getJson("api/epochs/" + epoch); showError(null); }
    catch (e) { showError("epoch " + epoch + ": " + e.message); return; }
    renderEpoch();
  }

  function renderEpoch() {
    const d = detail, r = d.row;
    $("epoch").hidden = false;
    $("epoch").dataset.epoch = d.epoch;
    $("epoch-h").textContent = "Epoch " + d.epoch + " (" + r.kind + ", " + fmt(r.traders, 0) + " traders, attestation " + r.quorum.state + ", verification " + r.verification.state + ")";
    const f = $("epoch-findings");
    f.replaceChildren();
    if (r.verification.findings.length) {
      f.append(el("p", { class: "state state-invalid", text: "What did not verify:" }));
      f.append(el("ul", {}, ...r.verification.findings.map((x) => el("li", { text: x.check + ": " + x.where + ": " + x.message }))));
    }
    $("epoch-proven").hidden = !d.proven;
    if (!d.proven) { f.append(el("p", { text: d.why })); return; }
    renderLayers();
    renderLsf();
    renderParams();
  }

  function renderLayers() {
    const h = detail.heatmap, sel = $("layer");
    const keep = sel.value;
    sel.replaceChildren(...h.layers.map((l) => el("option", { value: l.id, text: l.label })));
    sel.value = h.layers.some((l) => l.id === keep) ? keep : h.layers[0].id;
    $("heatmap-note").textContent = "Values in " + h.unit + " as proven by the bundle's sum proofs; n is the number of contributing traders. "
      + "A cell with fewer than k_min = " + h.kMin + " contributors is withheld: its value is not published (its forced volume enters V(s) through the proven remainder).";
    renderHeatmap();
  }

  function renderHeatmap() {
    const h = detail.heatmap;
    const layer = h.layers.find((l) => l.id === $("layer").value) || h.layers[0];
    const t = $("heatmap");
    t.dataset.layer = layer.id;
    let max = 0;
    for (const c of layer.cells) if (!c.withheld && Number(c.contracts) > max) max = Number(c.contracts);
    const head = el("tr", {}, el("th", { scope: "col", text: "expiry bucket \\ log-moneyness k = ln(K/F)" }),
      ...h.moneyness.map((m) => el("th", { scope: "col", text: m })));
    const rows = h.buckets.map((b, i) => el("tr", {}, el("th", { scope: "row", text: b }),
      ...h.moneyness.map((_, j) => {
        const c = layer.cells[i * h.moneyness.length + j];
        const attrs = { "data-band": c.band, "data-contributors": c.contributors, "data-withheld": c.withheld ? "true" : "false" };
        if (c.withheld) return el("td", Object.assign(attrs, { class: "withheld", title: "withheld: " + c.contributors + " contributors, fewer than k_min" }),
          "withheld", el("span", { class: "n", text: "n = " + c.contributors }));
        attrs["data-units"] = c.units;
        if (c.contributors === 0) return el("td", Object.assign(attrs, { class: "empty", title: "no contributor" }), "0", el("span", { class: "n", text: "n = 0" }));
        const td = el("td", attrs, fmt(c.contracts), el("span", { class: "n", text: "n = " + c.contributors }));
        // shading repeats the number (from 97% to 82% lightness, text stays dark); set through the CSSOM, which the CSP allows
        if (max > 0) td.style.backgroundColor = "hsl(215, 45%, " + Math.round(97 - 15 * Number(c.contracts) / max) + "%)";
        return td;
      })));
    t.replaceChildren(el("caption", { text: layer.label + ", contracts" }), el("thead", {}, head), el("tbody", {}, ...rows));
  }

  function renderLsf() {
    const l = detail.lsf, e = detail.epoch;
    $("lsf-volume").src = chartSrc(e, "volume");
    $("lsf-multiplier").src = chartSrc(e, "multiplier");
    const head = el("tr", {}, ...["shock s", "spot shock", "vol shock", "V(s), coins", "of which withheld cells, coins", "I(s) = V/D", "P(I)"].map((x) => el("th", { scope: "col", text: x })));
    const rows = l.lines.map((x) => el("tr", { "data-shock": x.shock },
      el("td", { class: "num", text: x.shock }), el("td", { class: "num", text: pct(x.spotShock) }), el("td", { class: "num", text: pct(x.volShock) }),
      el("td", { class: "num", "data-v": x.forcedVolumeCoins, text: fmt(x.forcedVolumeCoins, 2) }), el("td", { class: "num", text: fmt(x.withheldCoins, 2) }),
      el("td", { class: "num", text: fmt(x.impact, 5) }), el("td", { class: "num", text: fmt(x.multiplier, 5) })));
    $("lsf").replaceChildren(el("caption", { text: "D = " + fmt(l.depthCoins, 2) + " coins of depth; kappa_eff = " + (l.kappaEffective === null ? "infinite (no clearing fund)" : fmt(l.kappaEffective, 5)) + "; P_max = " + fmt(l.pMax, 2) }),
      el("thead", {}, head), el("tbody", {}, ...rows));
  }

  function renderParams() {
    const p = detail.parameters, m = p.market;
    const items = [
      ["parameter hash", p.hash], ["statement hash", p.statementHash],
      ["statements", p.statements.map((s) => s.name + " v" + s.version).join(", ")],
      ["label, underlying", p.label + ", " + p.underlying], ["version", p.version],
      ["k_min (publication threshold)", p.kMin + " contributors"], ["range proofs", p.rangeBits + " bits"],
      ["checkpoint interval", p.checkpointInterval === 0 ? "every epoch" : "every " + p.checkpointInterval + " epochs"],
      ["valuation time", p.valuationTime], ["reference forward", fmt(p.referenceForwardUsd, 2) + " USD"],
      ["market", "spot " + fmt(m.spotUsd, 2) + " USD as of " + m.asOf + "; depth " + fmt(m.depthCoins, 2) + " coins; clearing fund " + fmt(m.clearingFundUsd, 0) + " USD"],
      ["verifier committee id", p.committeeId || "none"], ["venue signing key", p.venueSigningKey || "none"],
    ];
    $("params").replaceChildren(...items.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { class: /hash|key|id/.test(k) ? "hash" : null, text: String(v) })]));
    $("risk-json").textContent = JSON.stringify(p.risk, null, 2);
  }

  // ---- the trader view --------------------------------------------------------------------------------------------

  function toBase64(buf) {
    const b = new Uint8Array(buf); let s = "";
    for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function pasted(text) {
    const t = text.replace(/\s+/g, "");
    if (t.length && t.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(t)) {
      const b = new Uint8Array(t.length / 2);
      for (let i = 0; i < b.length; i++) b[i] = parseInt(t.substr(2 * i, 2), 16);
      return toBase64(b.buffer);
    }
    return t;
  }
  const fileBase64 = async (input) => input.files.length ? toBase64(await input.files[0].arrayBuffer()) : null;

  async function checkNotice(ev) {
    ev.preventDefault();
    const out = $("notice-result");
    out.replaceChildren(el("p", { text: "Checking\u2026" }));
    const notice = (await fileBase64($("notice-file"))) || pasted($("notice-text").value);
    const opening = await fileBase64($("opening-file"));
    let body;
    try {
      const r = await fetch("api/notice/check", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ notice: notice, opening: opening }) });
      body = await r.json().catch(() => ({ error: "HTTP " + r.status }));
      if (!r.ok) { out.replaceChildren(el("p", { role: "alert", class: "state state-invalid", "data-verdict": "error", text: "Cannot check: " + body.error })); return; }
    } catch (e) { out.replaceChildren(el("p", { role: "alert", text: "Cannot check: " + e.message })); return; }
    const a = body.amounts;
    const verdict = body.ok ? (body.recomputed ? "The notice holds: every check passed and the amounts recompute." : "The notice holds against the published bundle (amounts not recomputed without the opening).")
      : "The notice FAILS its check against the published bundle.";
    out.replaceChildren(
      el("p", { class: "verdict " + (body.ok ? "state-valid" : "state-invalid"), "data-verdict": body.ok ? "ok" : "failed", text: verdict }),
      el("table", {}, el("caption", { text: "Epoch " + body.epoch + ", trader " + short(body.trader) + (body.clusterMembers ? ", margined with a cluster of " + body.clusterMembers + " accounts" : "") + (body.unvalued ? ", book unvalued" : "") }),
        el("tbody", {},
          el("tr", {}, el("th", { scope: "row", text: "initial margin (IM)" }), el("td", { class: "num", "data-amount": "im", text: a.initialMarginUsd ? fmt(a.initialMarginUsd, 2) + " USD" : "none (unvalued)" })),
          el("tr", {}, el("th", { scope: "row", text: "contagion buffer (CAVB)" }), el("td", { class: "num", "data-amount": "cavb", text: fmt(a.cavbUsd, 2) + " USD" })),
          el("tr", {}, el("th", { scope: "row", text: "total margin" }), el("td", { class: "num", "data-amount": "total", text: a.totalMarginUsd ? fmt(a.totalMarginUsd, 2) + " USD" : "none (unvalued)" })),
          el("tr", {}, el("th", { scope: "row", text: "maintenance margin" }), el("td", { class: "num", text: a.maintenanceMarginUsd ? fmt(a.maintenanceMarginUsd, 2) + " USD" : "none" })),
          el("tr", {}, el("th", { scope: "row", text: "liquidation flags, shock 0..11" }), el("td", { class: "hash", text: body.flags.map((f) => (f ? "1" : "0")).join("") })))),
      el("ul", { class: "checks" }, ...body.checks.map((c) => el("li", { class: c.ok === null ? "check-skip" : c.ok ? "check-ok" : "check-fail", "data-check": c.name, "data-ok": String(c.ok) },
        el("strong", { text: c.name }), ": " + c.what, c.problems.length ? el("ul", {}, ...c.problems.map((p) => el("li", { text: p }))) : null))));
  }

  // ---- live updates -----------------------------------------------------------------------------------------------

  function listen() {
    const live = $("live");
    const es = new EventSource("api/events");
    es.addEventListener("open", () => { live.textContent = "Live: new epochs appear as they are sealed, verified and published."; });
    es.addEventListener("epoch", async (m) => {
      try { await loadChain(); live.textContent = "Live: updated for epoch " + JSON.parse(m.data).epoch + " at " + utc(Date.now()) + "."; }
      catch (e) { showError(e.message); }
    });
    es.addEventListener("error", () => { live.textContent = "Live updates interrupted; reconnecting\u2026"; });
  }

  $("layer").addEventListener("change", renderHeatmap);
  if (offline) { $("trader-live").hidden = true; $("trader-offline").hidden = false; $("live").textContent = "Offline report: a snapshot of the audited chain."; }
  else { $("notice-form").addEventListener("submit", checkNotice); listen(); }
  loadChain().catch((e) => showError("The chain could not be loaded: " + e.message));
})();
