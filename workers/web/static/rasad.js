/* rasad live view: events on a map of Syria, alerts beside it.
 *
 * One script for both the page the worker serves (config.mode "live": polls the JSON views for changes) and the
 * self-contained export (mode "static": the data is in the config). All text from reports goes into the page
 * through textContent, never as HTML.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("rasad-config").textContent);
  const SYRIA = [[32.3, 35.6], [37.35, 42.4]];
  const TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#f28e2b",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
  };
  const OTHER_COLOR = "#7f7f7f";
  const TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const MAX_LISTED = 200;

  const state = {
    events: new Map(), // event_id -> event (latest revision)
    alerts: new Map(), // alert_id -> alert
    order: new Map(), // id -> arrival counter, for "latest first"
    counter: 0,
    eventSeq: 0,
    alertSeq: 0,
    markers: new Map(), // event_id -> L.CircleMarker
    visible: new Set(),
    filter: {},
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const arabic = (text, tag) => el(tag || "span", { lang: "ar", dir: "rtl", class: "ar", text: text });
  const colorOf = (e) => TYPE_COLORS[e.event_type] || OTHER_COLOR;
  const radiusOf = (e) => (e.fatalities == null ? 5 : Math.min(34, 6 + 3.2 * Math.sqrt(e.fatalities)));
  const located = (e) => typeof e.latitude === "number" && typeof e.longitude === "number";
  // Lists put the latest day first; within a day, the latest to arrive (or be revised).
  const arrival = (a, b) => (state.order.get(b) || 0) - (state.order.get(a) || 0);
  const dayOf = (x) => x.event_date || (x.window || {}).end || (x.window || {}).start || "";
  function byLatest(a, b) {
    const [da, db] = [dayOf(a), dayOf(b)];
    if (da !== db) return da < db ? 1 : -1;
    return arrival(a.event_id || a.alert_id, b.event_id || b.alert_id);
  }

  function darker(hex) {
    const n = parseInt(hex.slice(1), 16);
    const f = (v) => Math.round(v * 0.65).toString(16).padStart(2, "0");
    return "#" + f(n >> 16) + f((n >> 8) & 255) + f(n & 255);
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function tollText(e) {
    const parts = [];
    if (e.fatalities != null) parts.push(e.fatalities + " killed");
    if (e.injured != null) parts.push(e.injured + " injured");
    return parts.join(", ");
  }

  function actorText(a) {
    if (!a) return null;
    return a.name && a.name !== a.code ? a.name + " (" + a.code + ")" : a.code;
  }

  // ------------------------------------------------------------------ evidence

  function roleClass(role) {
    if (/^actor/.test(role)) return "role-actor";
    if (role === "place") return "role-place";
    if (/fatal|kill|injur|toll|dead|wound/.test(role)) return "role-toll";
    return "role-trigger";
  }

  // Evidence offsets point into the report's text; the notes are one sentence of it, so spans are found by text.
  function highlighted(notes, evidence) {
    const spans = [];
    for (const ev of evidence || []) {
      const text = (ev.text || "").trim();
      if (!text) continue;
      for (let i = notes.indexOf(text); i !== -1; i = notes.indexOf(text, i + text.length)) {
        spans.push([i, i + text.length, ev.role || "evidence"]);
      }
    }
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] < last[1]) {
        last[1] = Math.max(last[1], s[1]);
        if (!last[2].split(", ").includes(s[2])) last[2] += ", " + s[2];
      } else merged.push(s.slice());
    }
    const block = el("blockquote", { class: "notes", lang: "ar", dir: "rtl" });
    let at = 0;
    for (const [start, end, roles] of merged) {
      if (start > at) block.append(notes.slice(at, start));
      block.append(el("mark", { class: roleClass(roles.split(", ")[0]), title: roles, text: notes.slice(start, end) }));
      at = end;
    }
    if (at < notes.length) block.append(notes.slice(at));
    return block;
  }

  // ------------------------------------------------------------------ popup

  function reportLinks(e) {
    const known = new Map((e.reports || []).map((r) => [r.id, r]));
    const ids = e.report_ids && e.report_ids.length ? e.report_ids : [e.report_id];
    const box = el("div", { class: "reports" }, ids.length > 1 ? "Reports: " : "Report: ");
    for (const id of ids) {
      const r = known.get(id) || (config.reports || {})[id] || {};
      const label = (r.source || e.source || "report") + " · " + id;
      const url = safeUrl(r.url);
      box.append(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: label, "data-report-id": id })
        : el("span", { class: "report-id", text: label, "data-report-id": id }), " ");
    }
    return box;
  }

  function popupFor(e) {
    const admin = [e.admin1, e.admin2, e.admin3].filter(Boolean).join(" · ");
    const actors = el("dd", {}, actorText(e.actor1));
    if (e.actor2) actors.append(el("span", { class: "vs", text: " vs " }), actorText(e.actor2));
    const toll = tollText(e);
    const precision = e.time_precision === 1 ? "" : " (report date)";
    return el("div", { class: "ev-popup", "data-event-id": e.event_id },
      el("div", { class: "head" },
        el("span", { class: "type", style: "color:" + darker(colorOf(e)), text: e.sub_event_type || e.event_type }),
        el("span", { class: "date", text: e.event_date + precision })),
      el("h3", { class: "place" }, arabic(e.location_ar || ""), el("span", { class: "en", text: e.location || "" })),
      el("div", { class: "admin", text: admin || e.country || "" }),
      el("dl", {},
        el("dt", { text: "Actors" }), actors,
        el("dt", { text: "Toll" }), el("dd", { class: toll ? "toll" : "", text: toll || "not stated" })),
      highlighted(e.notes || "", e.evidence),
      reportLinks(e),
      el("div", { class: "meta", text: "revision " + e.revision + " · confidence " + e.confidence +
        " · geo precision " + e.geo_precision + " · " + e.event_id }));
  }

  // ------------------------------------------------------------------ map

  const map = L.map("map", { zoomSnap: 0.25, minZoom: 4, maxZoom: 16, worldCopyJump: false });
  map.fitBounds(SYRIA, { padding: [8, 8] });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  const markerLayer = L.layerGroup().addTo(map);
  // The offline base map in panes of its own, under the markers (overlayPane, 400): borders, then the labels.
  map.createPane("rasad-borders").style.zIndex = 250;
  map.createPane("rasad-labels").style.zIndex = 350;
  map.getPane("rasad-labels").style.pointerEvents = "none";

  function offlineBase() {
    const layers = [];
    if (config.outlines) {
      layers.push(L.geoJSON(config.outlines, {
        pane: "rasad-borders",
        interactive: false,
        style: (f) => (f.properties.name === "Syria"
          ? { color: "#8c7a5b", weight: 1.6, fillColor: "#fffdf8", fillOpacity: 1 }
          : { color: "#b9b1a3", weight: 0.8, fillColor: "#f1ede4", fillOpacity: 1 }),
      }));
    }
    for (const g of config.governorates || []) {
      layers.push(L.circleMarker([g.lat, g.lon], {
        pane: "rasad-labels", radius: 2.5, color: "#8b96a1", weight: 1, fillOpacity: 1, interactive: false,
      }));
      const label = el("div", {}, el("span", { class: "en", text: g.name_en }), arabic(g.name_ar));
      layers.push(L.marker([g.lat, g.lon], {
        pane: "rasad-labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "gov-label", html: label, iconSize: [120, 30], iconAnchor: g.anchor || [60, -4] }),
      }));
    }
    const attribution = "Offline base map: governorate seats from the rasad gazetteer (OCHA COD-AB)" +
      (config.outlines ? ", borders © Natural Earth" : "");
    return L.featureGroup(layers, { attribution: attribution });
  }

  // OpenStreetMap tiles when the browser can reach them; when tiles fail before any loads (or none loads within a
  // few seconds) the page switches to the offline base map and stays there.
  function basemap() {
    const tiles = L.tileLayer(TILE_URL, { maxZoom: 18, attribution: "© OpenStreetMap contributors" });
    let decided = false;
    let errors = 0;
    const decide = (online) => {
      if (decided) return;
      decided = true;
      document.body.dataset.basemap = online ? "online" : "offline";
      if (!online) {
        map.removeLayer(tiles);
        offlineBase().addTo(map);
      }
    };
    tiles.on("tileload", () => decide(true));
    tiles.on("tileerror", () => ++errors >= 3 && decide(false));
    setTimeout(() => decide(false), config.tile_timeout_ms || 5000);
    tiles.addTo(map);
  }
  if (navigator.onLine === false) {
    document.body.dataset.basemap = "offline";
    offlineBase().addTo(map);
  } else basemap();

  // Several events often share one point (a town, a district centroid): spread them on a small ring, in
  // screen pixels, so each one can be seen and clicked. Recomputed on zoom.
  function spread() {
    const groups = new Map();
    for (const id of state.visible) {
      const e = state.events.get(id);
      const k = e.latitude.toFixed(4) + "," + e.longitude.toFixed(4);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(id);
    }
    for (const ids of groups.values()) {
      ids.sort();
      const radii = ids.map((id) => radiusOf(state.events.get(id)));
      // Wide enough that neighbours on the ring overlap by less than half, however many share the point.
      const around = radii.reduce((sum, r) => sum + 1.4 * r, 0) / (2 * Math.PI);
      const ring = ids.length < 2 ? 0 : Math.max(Math.max(...radii) * 0.8 + 8, around);
      ids.forEach((id, i) => {
        const e = state.events.get(id);
        const home = L.latLng(e.latitude, e.longitude);
        if (!ring) return state.markers.get(id).setLatLng(home);
        const angle = (2 * Math.PI * i) / ids.length - Math.PI / 2;
        const p = map.latLngToLayerPoint(home).add([ring * Math.cos(angle), ring * Math.sin(angle)]);
        state.markers.get(id).setLatLng(map.layerPointToLatLng(p));
      });
    }
  }
  map.on("zoomend", spread);

  function markerFor(e) {
    const marker = L.circleMarker([e.latitude, e.longitude], { className: "rasad-marker" });
    marker.on("add", () => marker.getElement().setAttribute("data-event-id", marker.eventId));
    marker.bindPopup(() => popupFor(state.events.get(marker.eventId)), { maxWidth: 440, minWidth: 320, autoPanPadding: [20, 20] });
    marker.bindTooltip(() => {
      const ev = state.events.get(marker.eventId);
      return el("span", {}, arabic(ev.location_ar || ""), " · " + (ev.sub_event_type || ""), tollText(ev) ? " · " + tollText(ev) : "");
    }, { direction: "top", offset: [0, -6] });
    marker.eventId = e.event_id;
    return marker;
  }

  function styleMarker(marker, e) {
    const color = colorOf(e);
    marker.setStyle({ color: darker(color), weight: 1.5, fillColor: color, fillOpacity: 0.72 });
    marker.setRadius(radiusOf(e));
    const elm = marker.getElement();
    if (elm) elm.setAttribute("data-revision", e.revision);
    if (marker.isPopupOpen()) marker.setPopupContent(popupFor(e));
  }

  // A button under the zoom buttons back to the whole country.
  function homeButton() {
    const control = L.control({ position: "topleft" });
    control.onAdd = () => {
      const bar = el("div", { class: "leaflet-bar" });
      const button = el("a", { class: "rasad-home", href: "#", role: "button", title: "Whole of Syria", "aria-label": "Whole of Syria", text: "⌂" });
      L.DomEvent.on(button, "click", (ev) => {
        L.DomEvent.preventDefault(ev);
        map.closePopup();
        map.fitBounds(SYRIA, { padding: [8, 8] });
      });
      L.DomEvent.disableClickPropagation(bar);
      bar.append(button);
      return bar;
    };
    control.addTo(map);
  }
  homeButton();

  function legend() {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      const box = el("div", { class: "legend" });
      for (const [type, color] of Object.entries(TYPE_COLORS)) {
        box.append(el("div", { class: "row" }, el("span", { class: "swatch", style: "background:" + color }), type));
      }
      const sizes = el("div", { class: "sizes" });
      for (const n of [1, 10, 50]) {
        const d = 2 * radiusOf({ fatalities: n });
        sizes.append(el("span", {}, el("i", { style: "width:" + d + "px;height:" + d + "px" }), n + " killed"));
      }
      box.append(sizes);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }
  legend();

  // ------------------------------------------------------------------ filters

  const form = document.getElementById("filters");

  function fillSelect(name, options) {
    const select = form.elements[name];
    const current = select.value;
    const have = new Set(Array.from(select.options).map((o) => o.value));
    for (const [value, label] of options) {
      if (!have.has(value)) select.append(el("option", { value: value, text: label }));
    }
    select.value = current;
  }

  fillSelect("admin1", (config.governorates || []).map((g) => [g.pcode, g.name_en + " — " + g.name_ar]));
  fillSelect("type", Object.keys(TYPE_COLORS).map((t) => [t, t]));

  function refreshChoices() {
    const actors = new Map();
    const types = new Map();
    for (const e of state.events.values()) {
      for (const a of [e.actor1, e.actor2]) if (a && a.code) actors.set(a.code, a.name || a.code);
      if (e.event_type) types.set(e.event_type, e.event_type);
    }
    fillSelect("actor", Array.from(actors).sort((a, b) => a[1].localeCompare(b[1])));
    fillSelect("type", Array.from(types));
  }

  function readFilter() {
    const f = {};
    for (const name of ["admin1", "actor", "type", "since", "until"]) f[name] = form.elements[name].value || null;
    state.filter = f;
  }

  function matches(e) {
    const f = state.filter;
    if (f.admin1 && e.admin1_pcode !== f.admin1) return false;
    if (f.actor && ![e.actor1, e.actor2].some((a) => a && a.code === f.actor)) return false;
    if (f.type && e.event_type !== f.type && e.sub_event_type !== f.type) return false;
    if (f.since && e.event_date < f.since) return false;
    if (f.until && e.event_date > f.until) return false;
    return true;
  }

  // An alert shows when one of its events shows; one whose events this page never saw falls back to its area and dates.
  function alertShown(a) {
    const known = (a.event_ids || []).filter((id) => state.events.has(id));
    if (known.length) return known.some((id) => matches(state.events.get(id)));
    const f = state.filter;
    const w = a.window || {};
    if (f.actor || f.type) return false;
    if (f.admin1 && (a.area || {}).admin1_pcode !== f.admin1) return false;
    if (f.since && (w.end || w.start) < f.since) return false;
    if (f.until && w.start > f.until) return false;
    return true;
  }

  form.addEventListener("change", () => { readFilter(); render(); });
  // List items act on Enter as on a click.
  for (const id of ["alerts", "events"]) {
    document.getElementById(id).addEventListener("keydown", (ev) => ev.key === "Enter" && ev.target.click());
  }
  form.addEventListener("reset", () => setTimeout(() => { readFilter(); render(); }, 0));

  // ------------------------------------------------------------------ lists

  function focusEvent(id) {
    const marker = state.markers.get(id);
    const e = state.events.get(id);
    if (!marker || !e || !state.visible.has(id)) return;
    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 9));
    spread();
    marker.openPopup();
  }

  function renderAlerts() {
    const list = document.getElementById("alerts");
    const shown = Array.from(state.alerts.values()).filter(alertShown).sort(byLatest);
    list.replaceChildren(...shown.slice(0, MAX_LISTED).map((a) => {
      const area = a.area || {};
      const item = el("li", { class: "alert sev-" + a.severity, "data-alert-id": a.alert_id, tabindex: "0" },
        el("span", { class: "sev", text: String(a.severity || "").toUpperCase() }),
        el("span", { class: "rule", text: String(a.rule || "").replace(/_/g, " ") }),
        el("time", { text: (a.window || {}).start || "" }),
        el("div", { class: "summary", text: a.summary || "" }),
        area.location_ar ? arabic(area.location_ar, "div") : null);
      item.addEventListener("click", () => (a.event_ids || []).some((id) => state.visible.has(id) && (focusEvent(id), true)));
      return item;
    }));
    document.getElementById("alerts-empty").hidden = shown.length > 0;
    document.getElementById("alert-count").textContent = shown.length === state.alerts.size
      ? String(shown.length) : shown.length + " of " + state.alerts.size;
  }

  function renderEvents(shown) {
    const list = document.getElementById("events");
    list.replaceChildren(...shown.slice(0, MAX_LISTED).map((e) => {
      const toll = tollText(e);
      const item = el("li", { class: "event-item", "data-event-id": e.event_id, tabindex: "0" },
        el("span", { class: "dot", style: "background:" + colorOf(e) }),
        el("div", {},
          el("time", { text: e.event_date }),
          el("div", { class: "what", text: e.sub_event_type }),
          el("div", { class: "where" }, arabic(e.location_ar || ""), e.location ? " · " + e.location : "",
            e.admin1 ? " (" + e.admin1 + ")" : ""),
          toll ? el("div", { class: "toll", text: toll }) : null));
      item.addEventListener("click", () => focusEvent(e.event_id));
      return item;
    }));
    document.getElementById("events-empty").hidden = shown.length > 0;
    document.getElementById("event-count").textContent = shown.length === state.events.size
      ? String(shown.length) : shown.length + " of " + state.events.size;
  }

  // ------------------------------------------------------------------ render

  function render() {
    const shown = Array.from(state.events.values()).filter(matches).sort(byLatest);
    const onMap = shown.filter(located);
    const wanted = new Set(onMap.map((e) => e.event_id));
    for (const id of state.visible) {
      if (!wanted.has(id)) markerLayer.removeLayer(state.markers.get(id));
    }
    // Big circles first, so small ones stay on top and clickable.
    for (const e of onMap.slice().sort((a, b) => radiusOf(b) - radiusOf(a))) {
      let marker = state.markers.get(e.event_id);
      if (!marker) state.markers.set(e.event_id, (marker = markerFor(e)));
      if (!markerLayer.hasLayer(marker)) markerLayer.addLayer(marker);
      styleMarker(marker, e);
      marker.bringToFront();
    }
    state.visible = wanted;
    spread();
    renderEvents(shown);
    renderAlerts();
    document.body.dataset.events = String(onMap.length);
  }

  function ingest(events, alerts) {
    let changed = false;
    for (const e of events || []) {
      const old = state.events.get(e.event_id);
      if (old && (old.revision || 0) > (e.revision || 0)) continue;
      state.events.set(e.event_id, e);
      state.order.set(e.event_id, ++state.counter);
      changed = true;
    }
    for (const a of alerts || []) {
      state.alerts.set(a.alert_id, a);
      state.order.set(a.alert_id, ++state.counter);
      changed = true;
    }
    if (changed) {
      refreshChoices();
      render();
    }
  }

  // ------------------------------------------------------------------ data

  const status = document.getElementById("status");
  function setStatus(text, kind) {
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  async function getJSON(url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  async function poll() {
    try {
      const [ev, al] = await Promise.all([
        getJSON("events?after=" + state.eventSeq + "&limit=" + (config.event_limit || 5000)),
        getJSON("alerts?after=" + state.alertSeq + "&limit=" + (config.alert_limit || 1000)),
      ]);
      // A restarted worker counts from zero again: start over rather than miss its changes.
      if (ev.seq < state.eventSeq || al.seq < state.alertSeq) {
        state.eventSeq = 0;
        state.alertSeq = 0;
      } else {
        state.eventSeq = ev.seq;
        state.alertSeq = al.seq;
        ingest(ev.events.slice().reverse(), al.alerts.slice().reverse());
      }
      setStatus("live · updated " + new Date().toLocaleTimeString(), "live");
    } catch (err) {
      setStatus("worker unreachable, retrying", "down");
    }
    setTimeout(poll, config.poll_ms || 2000);
  }

  document.body.dataset.mode = config.mode;
  if (config.mode === "live") {
    setStatus("connecting…");
    poll();
  } else {
    ingest(config.events, config.alerts);
    setStatus("export of " + state.events.size + " events · " + (config.generated_at || ""), "");
  }
  render();
})();
