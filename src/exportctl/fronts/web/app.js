// exportctl web page: a thin client of the /v1 API. No framework, no CDN; charts are inline SVG.
"use strict";

const $ = (sel) => document.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";
const TOKEN_KEY = "exportctl.token";
let scopes = [];

// ---- small DOM helpers -------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c.nodeType ? c : String(c));
  return node;
}
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
function table(columns, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c[0] })))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => el("td", {}, c[1](r)))))));
}
function showError(target, err) {
  target.replaceChildren(el("p", { class: "error", role: "alert", text: err.message || String(err) }));
}
function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
  return out;
}
function busy(form, on) { form.querySelectorAll("button").forEach((b) => { b.disabled = on; }); }

// ---- the API ------------------------------------------------------------------------------------
class ApiError extends Error {}
async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + (sessionStorage.getItem(TOKEN_KEY) || "") };
  const init = { method, headers };
  if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({ message: res.statusText }));
  if (!res.ok) {
    if (res.status === 401) signOut("Your token was refused: sign in again.");
    const where = data.field ? ` (field ${data.field})` : "";
    const hint = data.suggestions && data.suggestions.length ? ` Did you mean: ${data.suggestions.slice(0, 5).join(", ")}?` : "";
    throw new ApiError(`${data.message || res.statusText}${where}.${hint}`);
  }
  return data;
}

// ---- citations become links to the instruments --------------------------------------------------
function citationLinks(text, url) {
  const span = el("span");
  const parts = String(text || "").split(/;\s*/).filter(Boolean);
  const link = (href, label) => el("a", { href, target: "_blank", rel: "noopener", text: label });
  parts.forEach((part, i) => {
    const fr = [...part.matchAll(/(\d+)\s*FR\s*(\d+)/g)];
    let m;
    if (fr.length) {
      // "84 FR 22963, 85 FR 29853": one link per Federal Register citation, the text between kept
      let at = 0;
      for (const f of fr) {
        span.append(part.slice(at, f.index), link(`https://www.federalregister.gov/citation/${f[1]}-FR-${f[2]}`, f[0]));
        at = f.index + f[0].length;
      }
      span.append(part.slice(at));
    } else if ((m = part.match(/15 CFR (\d+)\.(\d+)/))) span.append(link(`https://www.ecfr.gov/current/title-15/section-${m[1]}.${m[2]}`, part));
    else if ((m = part.match(/15 CFR (\d+)/))) span.append(link(`https://www.ecfr.gov/current/title-15/part-${m[1]}`, part));
    else if (url && parts.length === 1) span.append(link(url, part));
    else span.append(part);
    if (i < parts.length - 1) span.append("; ");
  });
  return span;
}
const verdictBadge = (v, big) => el("span", { class: `badge verdict-${v}${big ? " verdict-big" : ""}`, text: String(v).replaceAll("_", " ") });

// ---- sign in / out and tabs ---------------------------------------------------------------------
async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  const who = await api("GET", "/v1/token");
  scopes = who.scopes;
  $("#login").hidden = true;
  $("#tabs").hidden = false;
  $("#session").replaceChildren(
    el("span", { text: `Signed in: token ${who.id}${who.name ? " (" + who.name + ")" : ""}, scopes ${who.scopes.join(", ")} ` }),
    el("button", { type: "button", class: "secondary", onclick: () => signOut("") , text: "Sign out" }));
  showTab((location.hash || "#check").slice(1));
  if (scopes.includes("read")) showCoverage();
}
function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $("#login").hidden = false;
  $("#tabs").hidden = true;
  document.querySelectorAll(".tab").forEach((t) => { t.hidden = true; });
  $("#session").replaceChildren();
  $("#login-error").textContent = message || "";
}
function showTab(name) {
  if (!document.getElementById(name) || !document.getElementById(name).classList.contains("tab")) name = "check";
  document.querySelectorAll(".tab").forEach((t) => { t.hidden = t.id !== name; });
  document.querySelectorAll("#tabs a").forEach((a) => {
    if (a.dataset.tab === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (name === "reviews") loadReviews();
}

// ---- check --------------------------------------------------------------------------------------
async function onCheck(ev) {
  ev.preventDefault();
  const form = ev.target, out = $("#check-out");
  const f = formData(form);
  const body = { destination: f.destination, exporting_country: f.exporting_country || "US", date: f.date };
  for (const k of ["eccn", "product", "end_use", "known_on"]) if (f[k]) body[k] = f[k];
  if (f.value) body.value = Number(f.value);
  if (f.parties) body.parties = f.parties.split("\n").map((s) => s.trim()).filter(Boolean);
  busy(form, true);
  out.replaceChildren(el("p", { text: "Checking…" }));
  try { renderCheck(out, await api("POST", "/v1/check", body)); } catch (e) { showError(out, e); }
  busy(form, false);
}
// Text for a person: an empty value reads as nothing, never as "null" or "undefined".
const txt = (v) => (v === null || v === undefined ? "" : String(v));
const words = (v) => txt(v).replaceAll("_", " ");
function reasonWhy(r) {
  const why = el("div", {}, txt(r.text));
  if (r.entries && r.entries.length) {
    why.append(el("ul", { class: "entries", "aria-label": `${r.entries.length} list entries` },
      r.entries.map((e) => el("li", {}, txt(e.name), el("span", { class: "meta", text: ` ${txt(e.list)} ${txt(e.entity_id)}` })))));
  }
  return why;
}
function renderCheck(out, a) {
  const reasons = a.reasons.filter((r) => r.effect !== "info").concat(a.reasons.filter((r) => r.effect === "info"));
  const checks = a.checks || [], exceptions = a.exceptions || [], parties = a.parties || [];
  const parts = [
    el("p", { class: "verdict" }, "Verdict: ", verdictBadge(a.verdict, true),
      a.review_policy ? el("span", { text: ` Review policy: ${a.review_policy}` }) : null),
    el("p", { class: "meta", text: `As of ${txt(a.as_of)}${a.known_on ? ", known on " + a.known_on : ""}; data version ${txt(a.data_version).slice(0, 12)}; regime ${txt(a.regime).slice(0, 12)}; engine ${txt(a.engine_version)}` }),
    el("h3", { text: "Reasons" }),
    reasons.length ? table([
      ["Step", (r) => txt(r.step)], ["Rule", (r) => txt(r.code) + (r.column ? ` (${r.column})` : "")], ["Effect", (r) => words(r.effect)],
      ["Why", reasonWhy], ["Citation", (r) => citationLinks(r.citation, r.url)], ["Measure", (r) => txt(r.measure)],
    ], reasons) : el("p", { text: "No reason requires a license." }),
  ];
  if (checks.length) {
    parts.push(el("h3", { text: "Checks made" }), table([
      ["Check", (c) => words(c.step)], ["Result", (c) => txt(c.result)], ["What was checked", (c) => txt(c.what)],
    ], checks));
  }
  if (exceptions.length) {
    parts.push(el("h3", { text: "License exceptions considered" }), table([
      ["Exception", (e) => txt(e.code)], ["Section", (e) => citationLinks(e.section)], ["Applies", (e) => (e.applies ? "yes" : "no")], ["Why", (e) => txt(e.why)],
    ], exceptions));
  }
  if (parties.length) {
    parts.push(el("h3", { text: "Parties found on lists" }), table([
      ["Role", (p) => words(p.role)], ["Name", (p) => txt(p.name)], ["List", (p) => txt(p.list)],
      ["Listed as", (p) => txt(p.listed_name)], ["Entry", (p) => txt(p.entity_id)],
      ["Score", (p) => (typeof p.match_score === "number" ? p.match_score.toFixed(2) : "")],
    ], parties));
  }
  if (a.error) parts.push(el("p", { class: "error", text: a.error }));
  out.replaceChildren(...parts);
}

// ---- the registry's coverage: date fields say up to which day the rules are known ---------------
async function showCoverage() {
  let last;
  try { last = (await api("GET", "/v1/registry/coverage")).last_day; } catch (e) { return; }
  if (!last) return;
  document.querySelectorAll("input[type=date][data-coverage]").forEach((input) => {
    input.dataset.lastCovered = last;
    const hint = document.getElementById(input.getAttribute("aria-describedby"));
    if (hint) hint.textContent = input.dataset.coverage === "asked"
      ? `Rules known up to ${last}; a later date answers hold.` : `Rules known up to ${last}.`;
  });
}

// ---- screen and review --------------------------------------------------------------------------
async function onScreen(ev) {
  ev.preventDefault();
  const form = ev.target, out = $("#screen-out");
  const f = formData(form);
  const body = { name: f.name };
  if (f.country) body.country = f.country;
  if (f.threshold) body.threshold = Number(f.threshold);
  busy(form, true);
  out.replaceChildren(el("p", { text: "Screening…" }));
  try { renderScreen(out, await api("POST", "/v1/screen", body)); } catch (e) { showError(out, e); }
  busy(form, false);
}
function explanation(text) {
  // "huawei=huawei 1.00; technology=technology 1.00 w0.20": each query token, its listed token, the score
  const rows = String(text || "").split(/;\s*/).filter(Boolean).map((part) => {
    const m = part.match(/^(.*?)=(.*?)\s+([\d.]+)(.*)$/);
    return m ? { q: m[1], l: m[2], s: m[3], note: m[4].trim() } : { q: part, l: "", s: "", note: "" };
  });
  return table([["Your token", (r) => r.q], ["Listed token", (r) => r.l], ["Similarity", (r) => r.s], ["Note", (r) => r.note]], rows);
}
function renderScreen(out, res) {
  out.replaceChildren(el("p", { class: "meta", text: `${res.hits.length} hit(s) for “${res.query}” at threshold ${res.threshold}; matcher ${res.matcher}; data ${String(res.data_version).slice(0, 12)}` }));
  if (!res.hits.length) out.append(el("p", { text: "No listed party scored above the threshold." }));
  res.hits.forEach((h, i) => {
    const pct = Math.round(h.score * 100);
    const card = el("article", { class: "hit", "aria-labelledby": `hit-${i}` },
      el("h3", { id: `hit-${i}`, text: h.name }),
      el("p", {}, el("strong", { text: h.list_name || h.list }), ` · id ${h.entity_id}`, h.country ? ` · ${h.country}` : "", h.type ? ` · ${h.type}` : ""),
      el("p", {}, "Score ", el("span", { class: "score", role: "img", "aria-label": `score ${pct} percent` }, el("span", { style: `width:${pct}%` })),
        ` ${h.score.toFixed(3)} — matched on “${h.matched_name}”`),
      el("details", { open: i === 0 }, el("summary", { text: "Why this hit scored as it did" }), explanation(h.explanation)),
      h.license_requirement ? el("p", { class: "meta", text: `License requirement: ${h.license_requirement}. Policy: ${h.license_policy || "—"}` }) : null,
      h.federal_register_notice ? el("p", { class: "meta" }, "Listed by: ", citationLinks(h.federal_register_notice.replaceAll(",", ";"))) : null,
      h.review ? el("p", { class: `review ${h.review.status}` },
        `Reviewed: ${h.review.decision.replaceAll("_", " ")} by ${h.review.actor} on ${h.review.at.slice(0, 10)}`,
        h.review.note ? ` — “${h.review.note}”` : "",
        h.review.status === "expired" ? " (expired: the list entry changed since)" : "") : null,
      reviewForm(res.query, h, i));
    out.append(card);
  });
}
function reviewForm(party, hit, i) {
  if (!scopes.includes("review")) return el("p", { class: "help", text: "Recording a decision needs a token with the review scope." });
  const status = el("span", { role: "status" });
  const note = el("input", { id: `note-${i}`, type: "text", maxlength: "4000" });
  const send = async (decision) => {
    try {
      const r = await api("POST", "/v1/reviews", { party, list: hit.list, entity_id: hit.entity_id, decision, note: note.value });
      status.textContent = `Recorded: ${r.decision.replaceAll("_", " ")} (audit record ${r.audit_seq}).`;
    } catch (e) { status.textContent = e.message; }
  };
  return el("div", { class: "review-form" },
    el("div", {}, el("label", { for: `note-${i}`, text: "Review note" }), note),
    el("button", { type: "button", onclick: () => send("match"), text: "Confirm match" }),
    el("button", { type: "button", class: "secondary", onclick: () => send("false_positive"), text: "False positive" }),
    status);
}
async function loadReviews() {
  const out = $("#reviews-out");
  if (!scopes.includes("review")) { out.replaceChildren(el("p", { class: "help", text: "Listing decisions needs the review scope." })); return; }
  try {
    const { reviews } = await api("GET", "/v1/reviews");
    out.replaceChildren(reviews.length ? table([
      ["When", (r) => r.at], ["Who", (r) => r.actor], ["Party", (r) => r.party], ["List", (r) => r.list],
      ["Entry", (r) => `${r.listed_name} (${r.entity_id})`], ["Decision", (r) => r.decision.replaceAll("_", " ")], ["Note", (r) => r.note],
    ], reviews) : el("p", { text: "No decisions yet." }));
  } catch (e) { showError(out, e); }
}

// ---- tariff and its history chart ---------------------------------------------------------------
async function onTariff(ev) {
  ev.preventDefault();
  const form = ev.target, out = $("#tariff-out"), chart = $("#tariff-chart");
  const f = formData(form);
  const body = { hts: f.hts, origin: f.origin, date: f.date };
  if (f.value) body.value = Number(f.value);
  busy(form, true);
  out.replaceChildren(el("p", { text: "Looking up…" }));
  chart.replaceChildren();
  try {
    const t = await api("POST", "/v1/tariff", body);
    out.replaceChildren(...[
      el("p", {}, el("strong", { text: `${t.hts_matched}` }), ` ${t.description}`),
      el("p", { class: "verdict-big", text: `Additional duties: ${t.total_additional_pct}% · total ad valorem: ${t.total_ad_valorem_pct ?? "n/a"}%` + (t.duty && t.duty.amount != null ? ` · duty ${t.duty.amount.toFixed(2)} USD` : "") }),
      el("p", { class: "meta", text: `MFN (${t.mfn.column}): ${t.mfn.text} · origin ${t.origin} · on ${t.date} · data ${String(t.data_version).slice(0, 12)}` }),
      t.components.length ? table([
        ["Program", (c) => c.program], ["Heading", (c) => c.heading], ["Rate %", (c) => String(c.rate_pct)],
        ["Instrument", (c) => c.instrument || ""], ["Citation", (c) => citationLinks(c.citation)],
      ], t.components) : el("p", { text: "No additional duty layer applies." }),
      t.excluded.length ? el("p", { class: "meta", text: `Excluded: ${t.excluded.map((e) => e.heading + " (" + e.program + ")").join(", ")}` }) : null,
      (t.advisories || []).length ? el("div", { class: "advisories" },
        el("p", { text: "May also apply (not in the total; check against the instrument):" }),
        el("ul", {}, ...t.advisories.map((a) => el("li", { text: `${a.measure}${a.rate_pct != null ? " " + a.rate_pct + "%" : ""}: ${a.description}` })))) : null,
    ].filter(Boolean)); // replaceChildren would print a null as the text "null"
    const h = await api("POST", "/v1/tariff/history", { hts: f.hts, origin: f.origin, from: "2018-01-01", to: f.date });
    drawHistory(chart, h);
  } catch (e) { showError(out, e); }
  busy(form, false);
}
const day = (s) => Date.parse(s + "T00:00:00Z");
function drawHistory(fig, h) {
  const W = 900, H = 300, L = 50, R = 20, T = 20, B = 40;
  const pts = h.series.map((p) => ({ t: day(p.date), v: p.total_additional_pct || 0, p }));
  const t0 = day(h.from), t1 = Math.max(day(h.to), t0 + 86400000);
  const top = Math.max(10, ...pts.map((p) => p.v));
  const step = [5, 10, 20, 25, 50, 100, 200].find((st) => top / st <= 5) || 500;
  const vmax = Math.ceil((top * 1.05) / step) * step;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R), y = (v) => H - B - (v / vmax) * (H - T - B);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "th-title" });
  s.append(svg("title", { id: "th-title" }, `Additional duty on ${h.hts} from ${h.origin}, ${h.from} to ${h.to}`));
  for (let v = 0; v <= vmax; v += step) {
    s.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#ddd" }), svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, `${v}%`));
  }
  for (let yr = new Date(t0).getUTCFullYear(); yr <= new Date(t1).getUTCFullYear(); yr++) {
    const t = Date.UTC(yr, 0, 1);
    if (t >= t0 && t <= t1) s.append(svg("text", { x: x(t), y: H - B + 16, "text-anchor": "middle" }, String(yr)));
  }
  let d = "";
  pts.forEach((p, i) => {
    const next = i + 1 < pts.length ? pts[i + 1].t : t1;
    d += `${i ? "L" : "M"}${x(p.t)},${y(p.v)} L${x(next)},${y(p.v)} `;
  });
  s.append(svg("path", { d, fill: "none", stroke: "#0b57a4", "stroke-width": 2.5, class: "series" }));
  pts.forEach((p) => {
    const c = svg("circle", { cx: x(p.t), cy: y(p.v), r: 4, fill: "#0b57a4" });
    c.append(svg("title", {}, `${p.p.date}: ${p.v}% ${(p.p.labels || []).join(", ")}`));
    s.append(c);
  });
  fig.replaceChildren(s, el("figcaption", { text: `Additional duty (percent of value) over time; each step is a change with the instrument that made it.` }),
    table([["From", (p) => p.p.date], ["Additional %", (p) => String(p.v)], ["Changed by", (p) => (p.p.labels || []).join(", ")]], pts));
}

// ---- timeline chart and diff --------------------------------------------------------------------
const JCOLOURS = { "US-EAR": "#0b57a4", "US-OFAC": "#6b2fa3", "US-TARIFF": "#a30d0d", "CN-EXPORT": "#1b6b2a", "CN-TARIFF": "#7a4a00" };
function timelineQuery(f) {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.jurisdiction) q.set("jurisdiction", f.jurisdiction);
  if (f.known_on) q.set("known_on", f.known_on);
  return q;
}
async function onTimeline(ev) {
  ev.preventDefault();
  const form = ev.target, out = $("#timeline-out"), fig = $("#timeline-chart");
  const f = formData(form);
  busy(form, true);
  try {
    const t = await api("GET", "/v1/timeline?" + timelineQuery(f));
    drawTimeline(fig, t, f);
    out.replaceChildren(table([
      ["Measure", (m) => m.title], ["Jurisdiction", (m) => m.jurisdiction], ["Status", (m) => m.status],
      ["From", (m) => m.effective || ""], ["Until", (m) => m.end || "—"],
      ["Citations", (m) => el("span", {}, (m.citations || []).map((c, i) => [i ? "; " : "", c.url ? el("a", { href: c.url, target: "_blank", rel: "noopener", text: c.title }) : c.title]))],
    ], t.measures));
  } catch (e) { showError(out, e); }
  busy(form, false);
}
function drawTimeline(fig, t, f) {
  const ms = t.measures.filter((m) => m.effective);
  const W = 900, rowH = 14, L = 10, R = 10, T = 26, B = 30, H = T + B + rowH * Math.max(ms.length, 1);
  const t0 = day(f.from), t1 = day(f.to);
  const x = (tt) => L + Math.min(Math.max((tt - t0) / (t1 - t0), 0), 1) * (W - L - R);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "tl-title" });
  s.append(svg("title", { id: "tl-title" }, `${ms.length} measures between ${f.from} and ${f.to}`));
  for (let yr = new Date(t0).getUTCFullYear(); yr <= new Date(t1).getUTCFullYear(); yr++) {
    const tt = Date.UTC(yr, 0, 1);
    if (tt >= t0 && tt <= t1) {
      s.append(svg("line", { x1: x(tt), x2: x(tt), y1: T, y2: H - B, stroke: "#e3e3e3" }),
        svg("text", { x: x(tt), y: T - 8, "text-anchor": x(tt) < L + 20 ? "start" : "middle" }, String(yr)),
        svg("text", { x: x(tt), y: H - B + 16, "text-anchor": x(tt) < L + 20 ? "start" : "middle" }, String(yr)));
    }
  }
  ms.forEach((m, i) => {
    const a = x(day(m.effective)), b = m.end ? x(day(m.end)) : W - R;
    const r = svg("rect", { x: a, y: T + i * rowH + 2, width: Math.max(b - a, 2), height: rowH - 4, rx: 2, fill: JCOLOURS[m.jurisdiction] || "#4a4a4a", class: "bar" });
    r.append(svg("title", {}, `${m.title} (${m.jurisdiction}, ${m.effective} – ${m.end || "open"})`));
    s.append(r);
  });
  fig.replaceChildren(s, el("figcaption", {}, "Each bar is a measure in force over time; colours: ",
    Object.entries(JCOLOURS).map(([j, c]) => el("span", { style: `color:${c};font-weight:700`, text: ` ${j} ` }))));
}
async function onDiff() {
  const form = $("#timeline-form"), out = $("#timeline-out");
  if (!form.reportValidity()) return;
  const f = formData(form);
  busy(form, true);
  try {
    const d = await api("GET", "/v1/diff?" + timelineQuery(f));
    out.replaceChildren(el("h3", { text: `What changed between ${d.from} and ${d.to}: ${d.changes.length} change(s)` }), table([
      ["Date", (c) => c.date], ["Change", (c) => String(c.change).replaceAll("_", " ")], ["Measure", (c) => c.title || c.measure],
      ["Jurisdiction", (c) => c.jurisdiction],
      ["Citations", (c) => el("span", {}, (c.citations || []).map((x, i) => [i ? "; " : "", x.url ? el("a", { href: x.url, target: "_blank", rel: "noopener", text: x.title }) : x.title]))],
    ], d.changes));
  } catch (e) { showError(out, e); }
  busy(form, false);
}

// ---- order book upload with progress ------------------------------------------------------------
function onOrders(ev) {
  ev.preventDefault();
  const form = ev.target, out = $("#orders-out"), box = $("#orders-progress"), bar = $("#o-progress"), label = $("#o-progress-label");
  const data = new FormData(form);
  if (!data.get("date")) data.delete("date");
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/v1/check/file");
  xhr.setRequestHeader("Authorization", "Bearer " + (sessionStorage.getItem(TOKEN_KEY) || ""));
  xhr.responseType = "blob";
  box.hidden = false; bar.value = 0; label.textContent = "Uploading"; out.replaceChildren();
  busy(form, true);
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100); };
  xhr.upload.onload = () => { label.textContent = "Checking (the server is working)"; bar.removeAttribute("value"); };
  xhr.onerror = () => { busy(form, false); box.hidden = true; showError(out, new Error("The upload failed: network error.")); };
  xhr.onload = async () => {
    busy(form, false);
    box.hidden = true;
    if (xhr.status !== 200) {
      const err = JSON.parse(await xhr.response.text());
      showError(out, new Error(`${err.message}${err.field ? " (field " + err.field + ")" : ""}`));
      return;
    }
    const summary = JSON.parse(xhr.getResponseHeader("X-Exportctl-Summary") || "[]");
    const name = (xhr.getResponseHeader("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const link = el("a", { href: URL.createObjectURL(xhr.response), download: name ? name[1] : "results", id: "orders-download", text: "Download the results" });
    out.replaceChildren(
      el("p", { role: "status", text: `Checked ${summary.reduce((n, s) => n + s.rows, 0)} rows (audit record ${xhr.getResponseHeader("X-Exportctl-Audit-Seq")}).` }),
      table([["Verdict", (s) => verdictBadge(s.verdict)], ["Rows", (s) => String(s.rows)]], summary),
      el("p", {}, link));
  };
  xhr.send(data);
}

// ---- wiring -------------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  const today = new Date().toISOString().slice(0, 10);
  for (const id of ["#c-date", "#t-date"]) $(id).value = today;
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try { await signIn($("#token").value.trim()); $("#token").value = ""; } catch (e) { signOut(e.message); }
  });
  $("#check-form").addEventListener("submit", onCheck);
  $("#screen-form").addEventListener("submit", onScreen);
  $("#tariff-form").addEventListener("submit", onTariff);
  $("#timeline-form").addEventListener("submit", onTimeline);
  $("#diff-button").addEventListener("click", onDiff);
  $("#orders-form").addEventListener("submit", onOrders);
  $("#reviews-refresh").addEventListener("click", loadReviews);
  window.addEventListener("hashchange", () => { if (!$("#tabs").hidden) showTab(location.hash.slice(1)); });
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved).catch((e) => signOut(e.message));
});
