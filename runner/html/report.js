// The report page of one locksim run: draws the data embedded in #run-data (its shape is
// documented in runner/html_report_data.h) as an SVG "whiteboard": a lane per node on a time
// axis, messages as arrows, client operations as bars, lock ownership along the checker's
// linearization, and the violation. Plain browser JavaScript, no libraries, nothing fetched.
//
// Stable hooks for headless checks (tests/browser): every drawn thing carries data-kind
// (lane, message, op, crash, deaf, deaf-reply-lost, refused, timeout, partition, fault, timer,
// lock-hold, stuck, violation); a message's copies carry data-end (deliver, drop, blocked,
// discard, late, inflight) and a duplicated one data-copies (2); <body> gets data-rendered="1",
// data-render-ms and data-ready-ms when done, and data-errors counts uncaught errors (see the
// template).
'use strict';

(function () {
  const startMs = performance.now();
  const NS = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('run-data').textContent);
  const run = data.run;
  const nodes = data.nodes;
  const PRIMARY = 0;
  const BACKUP = 1;
  const isClient = (node) => node >= 2;

  // ---------------------------------------------------------------------------------------------
  // Small helpers.

  function svg(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, attrs, parent, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  // Virtual time (integer µs) for people, in ms: "8 ms", "2010.5 ms", "0.001 ms".
  function ms(us) {
    if (us % 1000 === 0) return (us / 1000) + ' ms';
    return (us / 1000).toFixed(3).replace(/0+$/, '') + ' ms';
  }
  // A duration: in seconds from one second up.
  function span(us) {
    if (us >= 10000000) return (us / 1e6).toFixed(1) + ' s';
    if (us >= 1000000) return (us / 1e6).toFixed(3).replace(/0+$/, '') + ' s';
    return ms(us);
  }
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  function clientHue(client) { return (client * 67 + 205) % 360; }

  // ---------------------------------------------------------------------------------------------
  // The model: the compact arrays made into objects.

  const END_KINDS = ['deliver', 'drop', 'blocked', 'discard', 'late'];
  const MARK_KINDS = ['crash', 'deaf', 'deaf-reply-lost', 'refused', 'timeout', 'partition',
    'heal', 'timer', 'end', 'assertion'];
  const msgs = data.msgs.map(function (m) {
    const ends = [];
    for (let i = 8; i + 2 < m.length; i += 3) ends.push({ kind: END_KINDS[m[i]], t: m[i + 1], seq: m[i + 2] });
    return { id: m[0], from: m[1], to: m[2], t: m[3], seq: m[4], text: m[5], call: m[6], copies: m[7], ends: ends };
  });
  const msgById = new Map(msgs.map((m) => [m.id, m]));
  const marks = data.marks.map(function (m) {
    return {
      kind: MARK_KINDS[m[0]], node: m[1], peer: m[2], t: m[3], seq: m[4], id: m[5], text: m[6],
      call: m.length > 7 ? { t: m[7], seq: m[8], msg: m[9] } : null,
    };
  });
  const faults = data.faults.map((f, i) => ({ n: i + 1, t: f[0], seq: f[1], text: f[2] }));
  const locks = data.locks.map(function (l) {
    return {
      name: l[0], linearizable: l[1] === 1,
      order: l[2].map((p) => ({ op: p[0], at: p[1], anchor: p[2] })),
      holds: l[3].map((h) => ({ client: h[0], taken: h[1], freed: h[2] })),
      stuck: l[4],
    };
  });
  const RESULT = { 1: 'true', 0: 'false', '-1': 'pending', '-2': 'gave-up' };
  const ops = data.ops.map(function (o, i) {
    return {
      i: i, client: o[0], kind: o[1] === 0 ? 'lock' : 'unlock', lock: o[2],
      it: o[3], is: o[4], rt: o[5], rs: o[6], result: RESULT[o[7]], code: o[7],
      step: o[8], expect: o[9], named: false, lin: null,
    };
  });
  ops.forEach(function (op) {
    op.expectFailed = op.expect >= 0 && op.code !== op.expect;
    op.label = op.kind + '(' + locks[op.lock].name + ')';
  });
  locks.forEach(function (lock, li) {
    lock.order.forEach(function (p, k) { ops[p.op].lin = { lock: li, k: k, at: p.at, anchor: p.anchor }; });
  });
  const explain = data.explain;
  if (explain) explain.ops.forEach(function (i) { ops[i].named = true; });
  const violations = run.violations;
  const endUs = run.sim_time_us;
  const hopUs = Math.max(1, run.hop_us || 1000);

  // Which messages belong to which client request: the request id ("c1#2") that the service puts
  // in its message text, and a forward's order number ("#3") that its acknowledgement repeats.
  // Only for highlighting: if the text changes, nothing is highlighted and nothing breaks.
  const byToken = new Map();
  const byOrder = new Map();
  function addTo(map, key, value) {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  }
  function requestIdOf(text) {
    const token = /(?:^| )(c\d+#\d+)(?: |$)/.exec(text);
    return token ? token[1] : null;
  }
  msgs.forEach(function (m) {
    m.token = requestIdOf(m.text);
    if (m.token) addTo(byToken, m.token, m);
    const order = /^forward(?:_ack)? #(\d+)/.exec(m.text);
    if (order) addTo(byOrder, order[1], m);
  });
  function relatedMessages(token) {
    const out = new Set(byToken.get(token) || []);
    out.forEach(function (m) {
      const order = /^forward #(\d+)/.exec(m.text);
      if (order) (byOrder.get(order[1]) || []).forEach((a) => out.add(a));
    });
    return out;
  }
  // An operation's request id: that of the first request its client sent after invoking it.
  const clientRequests = new Map();
  msgs.forEach(function (m) { if (isClient(m.from) && m.token) addTo(clientRequests, m.from, m); });
  const nextRequest = new Map();  // client node -> index into its requests (ops come in order)
  ops.forEach(function (op) {
    const sent = clientRequests.get(op.client + 2) || [];
    let k = nextRequest.get(op.client + 2) || 0;
    while (k < sent.length && sent[k].seq < op.is) k++;
    nextRequest.set(op.client + 2, k);
    if (k < sent.length && (op.rs < 0 || sent[k].seq < op.rs)) op.token = sent[k].token;
  });

  // Short labels for arrows: "lock(a)", "= true", "fwd lock(a)", "ack".
  function shortText(text) {
    let m = /^request \S+ (.*)$/.exec(text);
    if (m) return m[1];
    m = /^reply \S+ (= \S+)$/.exec(text);
    if (m) return m[1];
    m = /^forward #\d+ \S+ (\S+)/.exec(text);
    if (m) return 'fwd ' + m[1];
    if (/^forward_ack/.test(text)) return 'ack';
    return text;
  }

  // ---------------------------------------------------------------------------------------------
  // Time → x. Two scales:
  // - real time: x is milliseconds of virtual time;
  // - story time: every instant at which something happened gets a slot, events that share an
  //   instant are spread in trace order (the order they happened in), and the gap to the next
  //   instant grows only with the logarithm of its length beyond one network hop (and stops at
  //   a few hops), so a 2 s timeout does not squash the milliseconds around it. A long gap is
  //   drawn as a break labelled with its real length.

  const STORY_HOP = 1;       // one network hop
  const STORY_SPREAD = 0.22; // between events of one instant
  const STORY_MAX_GAP = 3.5; // the widest gap, in hops
  const BREAK_HOPS = 12;     // gaps longer than this many hops are shown as breaks
  // The time of every trace position that is drawn (NaN: not drawn), indexed by seq: trace
  // order without a sort.
  let seqCount = 0;
  const noteSeq = (seq) => { if (seq + 1 > seqCount) seqCount = seq + 1; };
  msgs.forEach(function (m) { noteSeq(m.seq); m.ends.forEach((e) => noteSeq(e.seq)); });
  marks.forEach((m) => noteSeq(m.seq));
  faults.forEach((f) => noteSeq(f.seq));
  ops.forEach(function (op) { noteSeq(op.is); if (op.rs >= 0) noteSeq(op.rs); });
  const timeOfSeq = new Float64Array(seqCount).fill(NaN);
  msgs.forEach(function (m) { timeOfSeq[m.seq] = m.t; m.ends.forEach((e) => { timeOfSeq[e.seq] = e.t; }); });
  marks.forEach((m) => { timeOfSeq[m.seq] = m.t; });
  faults.forEach((f) => { timeOfSeq[f.seq] = f.t; });
  ops.forEach(function (op) { timeOfSeq[op.is] = op.it; if (op.rs >= 0) timeOfSeq[op.rs] = op.rt; });
  const instants = [];       // {t, x, w}
  const storyOfSeq = new Float64Array(seqCount).fill(NaN);
  const breaks = [];         // {x0, x1, dt, t0, t1}
  (function buildStory() {
    let x = 0;
    let current = null;
    for (let seq = 0; seq < seqCount; seq++) {
      const t = timeOfSeq[seq];
      if (Number.isNaN(t)) continue;
      if (current === null || t !== current.t) {
        if (current !== null) {
          const dt = t - current.t;
          const gap = dt <= hopUs ? STORY_HOP * dt / hopUs
            : STORY_HOP * Math.min(STORY_MAX_GAP, 1 + 0.4 * Math.log2(dt / hopUs));
          const x0 = current.x + current.w;
          x = x0 + gap;
          if (dt > BREAK_HOPS * hopUs) breaks.push({ x0: x0, x1: x, dt: dt, t0: current.t, t1: t });
        }
        current = { t: t, x: x, w: 0, n: 0 };
        instants.push(current);
      } else {
        current.n += 1;
        current.w = current.n * STORY_SPREAD;
      }
      storyOfSeq[seq] = current.x + current.w;
    }
  })();
  const storyEnd = instants.length ? instants[instants.length - 1].x + instants[instants.length - 1].w : 1;

  let story = run.scripted;  // the default scale: story time for scripted (and shrunk) runs
  function xAt(t, seq) {
    if (!story) return t / 1000;
    const x = seq >= 0 && seq < seqCount ? storyOfSeq[seq] : NaN;
    return Number.isNaN(x) ? xAtTime(t, false) : x;
  }
  // x of a time that may fall between instants; `end`: the end of its instant's slot.
  function xAtTime(t, end) {
    if (!story) return t / 1000;
    let lo = 0;
    let hi = instants.length - 1;
    if (hi < 0) return 0;
    if (t <= instants[0].t) return instants[0].x;
    if (t >= instants[hi].t) return instants[hi].x + instants[hi].w;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (instants[mid].t <= t) lo = mid; else hi = mid - 1;
    }
    const a = instants[lo];
    if (a.t === t) return end ? a.x + a.w : a.x;
    const b = instants[lo + 1];
    return a.x + a.w + (b.x - a.x - a.w) * (t - a.t) / (b.t - a.t);
  }
  function extent() { return story ? [0, storyEnd] : [0, Math.max(endUs, 1) / 1000]; }
  function lostDx() { return story ? 0.55 * STORY_HOP : 0.55 * hopUs / 1000; }

  // ---------------------------------------------------------------------------------------------
  // Lanes.

  const GUTTER = 132;
  const BIG_RUN_OPS = 80;  // a run with more operations opens zoomed on its violation
  const RIGHT = 28;
  const lanes = [];
  const laneOfNode = [];
  let nextTop = 22;
  function addLane(lane, height) {
    lane.top = nextTop;
    lane.h = height;
    // The lane's line: a client's sits low, leaving room above it for its operations' bars.
    lane.y = lane.kind === 'client' ? nextTop + height - 20 : nextTop + height / 2;
    nextTop += height;
    lanes.push(lane);
    return lane;
  }
  const nodeOrder = [];
  for (let n = 2; n < nodes.length; n++) nodeOrder.push(n);
  nodeOrder.push(PRIMARY, BACKUP);
  nodeOrder.forEach(function (n) {
    laneOfNode[n] = addLane({ kind: isClient(n) ? 'client' : 'server', node: n, name: nodes[n] },
      isClient(n) ? 66 : 54);
  });
  nextTop += 26;
  const locksTop = nextTop;
  const laneOfLock = locks.map((lock, i) => addLane({ kind: 'lock', lock: i, name: lock.name }, 30));
  const chartHeight = nextTop + 14;

  // ---------------------------------------------------------------------------------------------
  // The chart: static scaffolding, then items that know how to place themselves for a given
  // x → pixel function (screenX), so that zooming moves them without rebuilding the DOM.

  const chartDiv = document.getElementById('chart');
  let width = chartDiv.clientWidth || document.documentElement.clientWidth || 1200;
  const root = svg('svg', { height: chartHeight, 'aria-label': 'the run, one lane per node' }, chartDiv);
  const defs = svg('defs', null, root);
  function marker(id, color) {
    const m = svg('marker', {
      id: id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    }, defs);
    svg('path', { d: 'M0,1 L10,5 L0,9 z', fill: color }, m);
  }
  marker('ah-req', '#2563eb');
  marker('ah-rep', '#15803d');
  marker('ah-fwd', '#7c3aed');
  marker('ah-late', '#9ca3af');
  marker('ah-warn', '#b45309');
  function hatch(id, color, bg) {
    const p = svg('pattern', { id: id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
    svg('rect', { width: 6, height: 6, fill: bg }, p);
    svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: color, 'stroke-width': 2 }, p);
  }
  hatch('hatch-down', '#e5e7eb', '#fafafa');
  hatch('hatch-partition', '#fed7aa', '#fffaf5');
  hatch('hatch-pending', '#d1d5db', '#fff');
  hatch('hatch-gaveup', '#fecaca', '#fff');
  hatch('hatch-break', '#e2e8f0', '#f8fafc');
  const clip = svg('clipPath', { id: 'plot-clip' }, defs);
  const clipRect = svg('rect', { x: GUTTER, y: 0, height: chartHeight, width: 100 }, clip);

  const gBack = svg('g', null, root);
  const gPlot = svg('g', { 'clip-path': 'url(#plot-clip)' }, root);
  const gBreaks = svg('g', null, gPlot);
  const gUnder = svg('g', null, gPlot);
  const gOps = svg('g', null, gPlot);
  const gMsgs = svg('g', null, gPlot);
  const gMarks = svg('g', null, gPlot);
  const gGuide = svg('g', null, gPlot);
  const gGutter = svg('g', null, root);

  const items = [];   // {place(X)} for everything that moves with the time axis
  const placedLabels = [];  // boxes [x0, y0, x1, y1] taken, in pixels, during one layout
  function claim(x0, y0, x1, y1) { placedLabels.push([x0, y0, x1, y1]); }
  function isFree(box) {
    for (const b of placedLabels) if (b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]) return false;
    return true;
  }
  // A text made on first use: most labels of a big run are never shown, and every element costs
  // time when the page opens.
  function lazyText(parent, cls, text) {
    let e = null;
    return {
      show: function (x, y) {
        if (!e) {
          e = svg('text', { class: cls }, parent);
          e.textContent = text;
        }
        e.setAttribute('x', x);
        if (y !== undefined) e.setAttribute('y', y);
        e.style.display = '';
        return e;
      },
      hide: function () { if (e) e.style.display = 'none'; },
      set: function (t) { text = t; if (e) e.textContent = t; },
    };
  }
  const tips = [];    // data-tip index -> () => {title, lines, related}
  function tip(elem, fn) {
    elem.setAttribute('data-tip', String(tips.length));
    tips.push(fn);
  }

  // Lane backgrounds, lines and labels.
  const laneLineItems = [];
  lanes.forEach(function (lane, i) {
    const bg = svg('rect', { x: 0, y: lane.top, height: lane.h, width: 10, class: lane.kind === 'lock' ? 'lock-bg' : 'lane-bg' + (i % 2 ? ' alt' : '') }, gBack);
    lane.bg = bg;
  });
  lanes.forEach(function (lane) {
    if (lane.kind === 'lock') return;
    const g = svg('g', { 'data-kind': 'lane', 'data-lane': lane.name }, gUnder);
    lane.line = svg('line', { class: 'lane-line', y1: lane.y, y2: lane.y }, g);
    laneLineItems.push(lane);
  });
  svg('rect', { class: 'gutter-bg', x: 0, y: 0, width: GUTTER, height: chartHeight }, gGutter);
  svg('line', { class: 'gutter-rule', x1: GUTTER - 0.5, x2: GUTTER - 0.5, y1: 0, y2: chartHeight }, gGutter);
  svg('text', { class: 'section-label', x: 12, y: 14 }, gGutter).textContent = 'nodes';
  svg('text', { class: 'section-label', x: 12, y: locksTop - 8 }, gGutter).textContent = 'locks · checker\u2019s order';
  lanes.forEach(function (lane) {
    const label = svg('text', { class: 'lane-label' + (lane.kind === 'lock' ? ' lock' : ''), x: 12, y: lane.y + 4 }, gGutter);
    if (lane.kind === 'lock') {
      label.textContent = lane.name.length > 16 ? lane.name.slice(0, 15) + '\u2026' : lane.name;
      const lock = locks[lane.lock];
      const g = svg('g', { 'data-kind': 'lane', 'data-lane': 'lock ' + lane.name }, gUnder);
      if (!lock.linearizable) {
        label.setAttribute('class', 'lane-label lock bad');
        lane.bg.setAttribute('class', 'lock-bg bad');
        svg('text', { class: 'lane-sub bad', x: 12, y: lane.y + 15 }, gGutter).textContent = 'not linearizable';
      }
      tip(label, () => ({ title: 'lock ' + lane.name, lines: [lock.linearizable ? 'linearizable: ownership follows the checker\u2019s order' : 'not linearizable: the checker\u2019s order stops at the red mark', lock.holds.length + ' holds, ' + lock.order.length + ' operations placed'] }));
      lane.group = g;
    } else {
      label.textContent = lane.name;
      const sub = svg('text', { class: 'lane-sub', x: 12, y: lane.y + 16 }, gGutter);
      sub.textContent = lane.kind === 'client' ? 'client' : (lane.node === PRIMARY ? 'server (starts as primary)' : 'server (backup)');
    }
  });

  // Story-time breaks: long idle stretches, drawn as hatched gaps across every lane.
  function addBreaks() {
    gBreaks.textContent = '';
    if (!story) return;
    breaks.forEach(function (b) {
      const r = svg('rect', { class: 'break-band', y: 0, height: chartHeight }, gBreaks);
      const zig = svg('path', { class: 'break-edge' }, gBreaks);
      b.place = function (X) {
        const a = X(b.x0 + 0.25);
        const c = X(b.x1 - 0.25);
        const w = Math.max(0, c - a);
        r.setAttribute('x', a);
        r.setAttribute('width', w);
        let d = '';
        for (const edge of [a, a + w]) {
          d += 'M' + edge + ',0';
          for (let yy = 0; yy < chartHeight; yy += 8) d += ' L' + (edge + ((yy / 8) % 2 ? -2 : 2)) + ',' + (yy + 8);
        }
        zig.setAttribute('d', d);
      };
      tip(r, () => ({ title: span(b.dt) + ' with nothing happening', lines: ['from ' + ms(b.t0) + ' to ' + ms(b.t1) + '; story time shortens it (switch to real time to see it to scale)'] }));
    });
  }

  // --- Crashes, deaf points, partitions (under the messages). ---

  const crashOf = new Map();
  marks.forEach(function (m) { if (m.kind === 'crash' && !crashOf.has(m.node)) crashOf.set(m.node, m); });
  crashOf.forEach(function (m, node) {
    const lane = laneOfNode[node];
    const band = svg('rect', { class: 'down-band', y: lane.y - 10, height: 20 }, gUnder);
    items.push({ place: function (X) { const a = X(xAt(m.t, m.seq)); band.setAttribute('x', a); band.setAttribute('width', Math.max(0, X(extent()[1]) - a + 40)); } });
    lane.crashX = () => xAt(m.t, m.seq);
    lane.downLine = svg('line', { class: 'lane-line down', y1: lane.y, y2: lane.y }, gUnder);
  });

  // Partitions: while a node has any blocked outgoing link, its lane is hatched.
  (function partitions() {
    const blocked = new Map(); // node -> Set(peer)
    const open = new Map();    // node -> mark where its band started
    function closeBand(node, m) {
      const start = open.get(node);
      open.delete(node);
      const lane = laneOfNode[node];
      const r = svg('rect', { class: 'partition-band', 'data-kind': 'partition', y: lane.y - 12, height: 24 }, gUnder);
      const peers = start.peers;
      const label = lazyText(gUnder, 'mark-label', 'cut off from ' + peers.join(', '));
      const labelW = 5.6 * (13 + peers.join(', ').length);
      items.push({
        place: function (X) {
          const a = X(xAt(start.t, start.seq));
          const w = Math.max(1, X(m ? xAt(m.t, m.seq) : extent()[1]) - a);
          r.setAttribute('x', a);
          r.setAttribute('width', w);
          // Named where the band starts on screen, if it is wide enough there.
          const x = Math.max(a, GUTTER) + 4;
          if (a + w - x > labelW) label.show(x, lane.y + 10); else label.hide();
        },
      });
      tip(r, () => ({ title: nodes[node] + ' partitioned', lines: ['from ' + ms(start.t) + (m ? ' to ' + ms(m.t) : ' to the end'), 'messages from it to ' + peers.join(', ') + ' are lost'] }));
    }
    marks.forEach(function (m) {
      if (m.kind !== 'partition' && m.kind !== 'heal') return;
      if (!blocked.has(m.node)) blocked.set(m.node, new Set());
      const set = blocked.get(m.node);
      const before = set.size;
      if (m.kind === 'partition') set.add(nodes[m.peer]); else set.delete(nodes[m.peer]);
      if (before === 0 && set.size > 0) open.set(m.node, { t: m.t, seq: m.seq, peers: Array.from(set) });
      else if (before > 0 && set.size === 0) closeBand(m.node, m);
      else if (open.has(m.node) && m.kind === 'partition') {
        const peers = open.get(m.node).peers;  // everyone it was cut off from during the band
        if (peers.indexOf(nodes[m.peer]) < 0) peers.push(nodes[m.peer]);
      }
    });
    Array.from(open.keys()).forEach((node) => closeBand(node, null));
  })();

  // Deaf: from the moment it is armed until the lost reply (or the crash), a dotted line.
  marks.forEach(function (m) {
    if (m.kind !== 'deaf') return;
    const lane = laneOfNode[m.node];
    const until = marks.find((o) => o.seq > m.seq && o.node === m.node && (o.kind === 'deaf-reply-lost' || o.kind === 'crash'));
    const line = svg('line', { class: 'deaf-line', y1: lane.y - 3, y2: lane.y - 3 }, gUnder);
    const g = svg('g', { class: 'deaf-pill', 'data-kind': 'deaf' }, gMarks);
    const r = svg('rect', { y: lane.y - 22, height: 14, width: 34, rx: 7 }, g);
    const t = svg('text', { y: lane.y - 11.5 }, g);
    t.textContent = 'deaf';
    items.push({
      place: function (X) {
        const a = X(xAt(m.t, m.seq));
        line.setAttribute('x1', a);
        line.setAttribute('x2', until ? X(xAt(until.t, until.seq)) : a);
        r.setAttribute('x', a - 17);
        t.setAttribute('x', a - 12);
        claim(a - 17, lane.y - 22, a + 17, lane.y - 8);
      },
    });
    tip(g, () => ({ title: nodes[m.node] + ' turns deaf at ' + ms(m.t), lines: ['the reply to the next client request it receives will be lost, and it halts right after'] }));
  });

  // --- Lock lanes: who held each lock, per the checker's linearization. ---

  function momentX(p) { const a = ops[p.anchor]; return xAt(a.it, a.is); }
  locks.forEach(function (lock, li) {
    const lane = laneOfLock[li];
    lock.holds.forEach(function (hold) {
      const taken = lock.order[hold.taken];
      const freed = hold.freed >= 0 ? lock.order[hold.freed] : null;
      const g = svg('g', { 'data-kind': 'lock-hold' }, lane.group);
      const hue = clientHue(hold.client);
      const r = svg('rect', { class: 'hold', y: lane.y - 9, height: 18, fill: 'hsl(' + hue + ',60%,88%)', stroke: 'hsl(' + hue + ',45%,45%)' }, g);
      const t = lazyText(g, 'hold-label', 'client ' + hold.client);
      const lockOp = ops[taken.op];
      const unlockOp = freed ? ops[freed.op] : null;
      r.dataset.ops = unlockOp ? taken.op + ' ' + freed.op : String(taken.op);
      items.push({
        place: function (X) {
          const a = X(momentX(taken));
          const b = freed ? X(momentX(freed)) : lock.linearizable ? X(xAtTime(endUs, true)) : X(momentX(lock.order[lock.order.length - 1]));
          const w = Math.max(2, b - a);
          r.setAttribute('x', a);
          r.setAttribute('width', w);
          if (w > 52) t.show(a + 4, lane.y + 3.5); else t.hide();
        },
      });
      tip(r, () => ({
        title: 'lock ' + lock.name + ' held by client ' + hold.client,
        lines: [
          'from ' + ms(taken.at) + ' (#' + lockOp.i + ' ' + lockOp.label + ', invoked ' + ms(lockOp.it) + ')',
          freed ? 'to ' + ms(freed.at) + ' (#' + unlockOp.i + ' ' + unlockOp.label + ' by client ' + unlockOp.client + ')'
            : lock.linearizable ? 'still held at the end of the run' : 'until the checker\u2019s order stops',
          'times are the earliest moments the checker\u2019s order allows',
        ],
        related: { ops: unlockOp ? [lockOp, unlockOp] : [lockOp] },
      }));
    });
    // A tick under the lane at each operation's moment in the order (one path for the lane).
    const ticks = svg('path', { class: 'order-tick' }, lane.group);
    items.push({
      place: function (X) {
        let d = '';
        for (const p of lock.order) d += 'M' + X(momentX(p)).toFixed(1) + ',' + (lane.y + 9) + 'v4';
        ticks.setAttribute('d', d);
      },
    });
    if (!lock.linearizable) {
      const g = svg('g', { 'data-kind': 'stuck' }, lane.group);
      const path = svg('path', { class: 'stuck-line' }, g);
      const label = svg('text', { class: 'stuck-label', y: lane.y + 4 }, g);
      label.textContent = 'no order fits from here';
      items.push({
        place: function (X) {
          const x = X(xAtTime(lock.stuck, true));
          let d = 'M' + x + ',' + (lane.top + 2);
          for (let k = 1; k <= 6; k++) d += ' L' + (x + (k % 2 ? 3 : -3)) + ',' + (lane.top + 2 + k * (lane.h - 4) / 6);
          path.setAttribute('d', d);
          label.setAttribute('x', x + 7);
        },
      });
      tip(g, () => ({
        title: 'lock ' + lock.name + ': no linearization from here',
        lines: [(explain && explain.lock === lock.name ? explain.why : 'see the run\u2019s explanation'), 'the checker placed ' + lock.order.length + ' operations before getting stuck at ' + ms(lock.stuck)],
        bad: true,
        related: explain && explain.lock === lock.name ? { ops: explain.ops.map((i) => ops[i]) } : null,
      }));
    }
  });

  // --- Client operations: a bar from invoke to return on the client's lane. ---

  const opEls = [];
  ops.forEach(function (op) {
    const lane = laneOfNode[op.client + 2];
    const classes = ['op', op.result];
    if (op.expectFailed) classes.push('expect-failed');
    if (op.named) classes.push('named');
    const r = svg('rect', {
      class: classes.join(' '), 'data-kind': 'op', 'data-op': op.i, 'data-result': op.result,
      y: lane.y - 30, height: 20,
    }, gOps);
    if (op.named) r.setAttribute('data-named', '1');
    if (op.expectFailed) r.setAttribute('data-expect-failed', '1');
    const resultText = op.result === 'true' || op.result === 'false' ? '\u2192 ' + op.result
      : op.result === 'pending' ? '\u2192 ?' : '\u2192 gave up';
    const fullLabel = op.label + ' ' + resultText;
    const label = lazyText(gOps, 'op-label', fullLabel);
    const shortLabel = (op.kind === 'lock' ? 'L ' : 'U ') + locks[op.lock].name + ' ' + (op.result === 'true' ? 'T' : op.result === 'false' ? 'F' : '?');
    const badgeText = (op.named ? '#' + op.i + ' named by the checker' : '') +
      (op.expectFailed ? (op.named ? ' · ' : '') + 'expected ' + (op.expect ? 'true' : 'false') : '');
    const badgeShort = op.named ? '#' + op.i : '\u2260';
    const badge = op.named || op.expectFailed ? lazyText(gOps, 'op-badge', badgeText) : null;
    opEls[op.i] = r;
    const labelWidth = 6.3 * fullLabel.length + 10;
    const shortWidth = 6.3 * shortLabel.length + 8;
    items.push({
      place: function (X) {
        const a = X(xAt(op.it, op.is));
        const b = op.rs >= 0 ? X(xAt(op.rt, op.rs)) : X(xAtTime(endUs, true)) + 6;
        const w = Math.max(3, b - a - 1);
        r.setAttribute('x', a + 0.5);
        r.setAttribute('width', w);
        claim(a, lane.y - 30, a + w, lane.y - 10);
        if (w >= labelWidth) {
          label.set(fullLabel);
          label.show(a + 5, lane.y - 16);
        } else if (w >= shortWidth) {
          label.set(shortLabel);
          label.show(a + 4, lane.y - 16);
        } else {
          label.hide();
        }
        // The badge in full where it fits, else just the number, else not at all.
        if (badge) {
          badge.hide();
          for (const text of [badgeText, badgeShort]) {
            const box = [a, lane.y - 44, a + 6.5 * text.length, lane.y - 31];
            if (!isFree(box)) continue;
            placedLabels.push(box);
            badge.set(text);
            badge.show(a, lane.y - 34);
            break;
          }
        }
      },
    });
    tip(r, function () {
      const lines = [
        'client ' + op.client + ' · invoked ' + ms(op.it) + (op.rs >= 0 ? ' · returned ' + ms(op.rt) + ' (' + span(op.rt - op.it) + ')' : ''),
      ];
      if (op.result === 'pending') lines.push('never returned before the run ended');
      if (op.result === 'gave-up') lines.push('its clerk gave up at ' + ms(op.rt) + ': every server refused or timed out');
      if (op.lin) lines.push('linearized at ' + ms(op.lin.at) + ', #' + (op.lin.k + 1) + ' in lock ' + locks[op.lock].name + '\u2019s order');
      else if (!locks[op.lock].linearizable) lines.push('not placed: the checker\u2019s order for lock ' + locks[op.lock].name + ' stops before it');
      else lines.push('left out of the order (a pending operation that need not have taken effect)');
      if (op.step >= 0) lines.push('steps[' + op.step + ']' + (op.expect >= 0 ? ', expects ' + (op.expect ? 'true' : 'false') + (op.expectFailed ? ' \u2717' : ' \u2713') : ''));
      if (op.named) lines.push({ bad: true, text: 'named by the checker\u2019s explanation: ' + explain.why });
      if (op.token) lines.push('request id ' + op.token + ' (its messages are highlighted)');
      return { title: '#' + op.i + ' ' + op.label + ' ' + resultText, lines: lines, related: { ops: [op] } };
    });
  });

  // Each operation's linearization point (its moment in the checker's order) as a small diamond
  // under its bar: one path per client lane.
  nodeOrder.filter(isClient).forEach(function (node) {
    const lane = laneOfNode[node];
    const mine = ops.filter((op) => op.client + 2 === node && op.lin);
    const path = svg('path', { class: 'lin-point' }, gOps);
    items.push({
      place: function (X) {
        let d = '';
        for (const op of mine) d += 'M' + X(momentX(op.lin)).toFixed(1) + ',' + (lane.y - 14) + 'l4,4l-4,4l-4,-4z';
        path.setAttribute('d', d);
      },
    });
  });

  // --- Messages: an arrow from send to each copy's fate. ---

  const msgEls = new Map();
  const callMarksOfMsg = new Map();  // request message id -> its call's refusal/timeout marks
  const lostRepliesOfToken = new Map();  // request id -> the deaf-lost replies to it
  function channel(m) {
    if (isClient(m.from)) return 'req';
    if (isClient(m.to)) return 'rep';
    return 'fwd';
  }
  function laneY(node) { return laneOfNode[node].y; }
  // Arrow labels are placed greedily, in trace order, at the first of a few spots along the
  // arrow (middle, nearer the sender, nearer the receiver; left or right of it) whose box is
  // free; a label with no free spot is hidden (hovering the arrow still tells everything).
  const LABEL_SPOTS = [[0.5, -1], [0.5, 1], [0.3, -1], [0.3, 1], [0.7, -1], [0.7, 1]];
  function placeLabel(m, xs, ys, xe, ye, allowed) {
    if (allowed && Math.hypot(xe - xs, ye - ys) >= 24) {
      const w = 5.8 * m.short.length;
      for (const [t, side] of LABEL_SPOTS) {
        const lx = xs + (xe - xs) * t;
        const ly = ys + (ye - ys) * t;
        const box = side < 0 ? [lx - 5 - w, ly - 8, lx - 5, ly + 3] : [lx + 5, ly - 8, lx + 5 + w, ly + 3];
        if (!isFree(box)) continue;
        placedLabels.push(box);
        if (!m.label) {  // made on first use: most labels of a big run are never shown
          m.label = svg('text', { class: 'msg-label' }, m.g);
          m.label.textContent = m.short;
        }
        m.label.setAttribute('text-anchor', side < 0 ? 'end' : 'start');
        m.label.setAttribute('x', side < 0 ? lx - 5 : lx + 5);
        m.label.setAttribute('y', ly + 2);
        m.label.style.display = '';
        return;
      }
    }
    if (m.label) m.label.style.display = 'none';
  }
  function crossPath(x, y) {
    return 'M' + (x - 4) + ',' + (y - 4) + ' L' + (x + 4) + ',' + (y + 4) + ' M' + (x - 4) + ',' + (y + 4) + ' L' + (x + 4) + ',' + (y - 4);
  }
  msgs.forEach(function (m) {
    const ch = channel(m);
    const fate = m.ends.length === 0 ? 'inflight' : m.ends.map((e) => e.kind).join('+');
    const g = svg('g', { class: 'msg ' + ch, 'data-kind': 'message', 'data-id': m.id, 'data-fate': fate }, gMsgs);
    if (m.copies > 1) g.setAttribute('data-copies', String(m.copies));
    m.g = g;
    m.short = shortText(m.text);
    msgEls.set(m.id, g);
    const y0 = laneY(m.from);
    const y1 = laneY(m.to);
    const copies = m.ends.length ? m.ends : [{ kind: 'inflight', t: endUs, seq: -1 }];
    const parts = copies.map(function (e) {
      const lost = e.kind === 'drop' || e.kind === 'blocked';
      const cls = lost ? 'lost' : e.kind === 'late' ? 'late' : e.kind === 'discard' ? 'discard' : e.kind === 'inflight' ? 'inflight' : '';
      const line = svg('line', { class: cls, 'data-end': e.kind }, g);
      if (!lost && e.kind !== 'discard') line.setAttribute('marker-end', 'url(#ah-' + (e.kind === 'late' ? 'late' : ch) + ')');
      let endMark = null;
      if (lost || e.kind === 'discard') endMark = svg('path', { class: e.kind === 'blocked' ? 'wall' : 'cross' }, g);
      return { e: e, line: line, endMark: endMark, lost: lost };
    });
    // A wide invisible twin of the first arrow, so that a thin line is easy to hover (made when
    // arrows are first far enough apart to be hovered one by one).
    let hit = null;
    const dup = m.copies > 1 ? svg('text', { class: 'dup-badge' }, g) : null;
    if (dup) dup.textContent = '\u00d72';
    // The stretch of x it spans, to skip it when it is off screen.
    m.x0 = () => xAt(m.t, m.seq);
    m.x1 = function () {
      let x = xAt(m.t, m.seq) + lostDx();
      for (const e of m.ends) x = Math.max(x, xAt(e.t, e.seq));
      return m.ends.length ? x : xAtTime(endUs, true);
    };
    m.place = function (X, showLabels) {
      const xs = X(xAt(m.t, m.seq));
      parts.forEach(function (p, k) {
        let xe;
        let ye;
        if (p.lost) {
          xe = X(xAt(m.t, m.seq) + lostDx());
          ye = y0 + (y1 - y0) * 0.55;
        } else if (p.e.kind === 'inflight') {
          xe = X(xAtTime(endUs, true));
          ye = y0 + (y1 - y0) * 0.5;
        } else {
          xe = X(xAt(p.e.t, p.e.seq));
          ye = y1;
        }
        // Copies that land at the same place are fanned out a little so both stay visible.
        if (k > 0 && Math.abs(xe - X(xAt(parts[0].e.t, parts[0].e.seq))) < 4) xe += 5 * k;
        p.line.setAttribute('x1', xs);
        p.line.setAttribute('y1', y0);
        p.line.setAttribute('x2', xe);
        p.line.setAttribute('y2', ye);
        if (k === 0 && !dense) {
          if (!hit) hit = svg('line', { class: 'hit' }, g);
          hit.setAttribute('x1', xs);
          hit.setAttribute('y1', y0);
          hit.setAttribute('x2', xe);
          hit.setAttribute('y2', ye);
        }
        if (k === 0) placeLabel(m, xs, y0, xe, ye, showLabels);
        if (p.endMark) {
          p.endMark.setAttribute('d', p.e.kind === 'blocked'
            ? 'M' + (xe - 5) + ',' + (ye - 6) + ' L' + (xe + 5) + ',' + (ye + 6) : crossPath(xe, ye));
        }
      });
      if (dup) {
        dup.setAttribute('x', xs + 3);
        dup.setAttribute('y', y0 + (y1 > y0 ? 12 : -5));
      }
    };
    tip(g, function () {
      const lines = [nodes[m.from] + ' \u2192 ' + nodes[m.to] + ' · sent ' + ms(m.t) + (m.call >= 0 ? ' · call ' + m.call : '') + ' · message ' + m.id];
      if (m.copies > 1) lines.push({ bad: true, text: 'duplicated by the network: delivered twice' });
      m.ends.forEach(function (e) {
        if (e.kind === 'deliver') lines.push('delivered ' + ms(e.t) + ' (' + span(e.t - m.t) + ' in flight)');
        else if (e.kind === 'drop') lines.push({ bad: true, text: 'lost by the network (channel drop)' });
        else if (e.kind === 'blocked') lines.push({ bad: true, text: 'lost to a partition' });
        else if (e.kind === 'discard') lines.push({ bad: true, text: 'reached ' + nodes[m.to] + ' at ' + ms(e.t) + ', which is down: discarded' });
        else if (e.kind === 'late') lines.push('arrived ' + ms(e.t) + ' after its call had ended: ignored');
      });
      if (m.ends.length === 0) lines.push('still in flight when the run ended');
      return { title: m.text, lines: lines, related: { msgs: m.token ? relatedMessages(m.token) : new Set([m]) } };
    });
  });

  // --- Marks on lanes: crashes, lost deaf replies, refused and timed-out calls, timers. ---

  marks.forEach(function (m) {
    if (m.kind === 'crash') {
      const lane = laneOfNode[m.node];
      const g = svg('g', { class: 'crash', 'data-kind': 'crash' }, gMarks);
      const a = svg('line', null, g);
      const b = svg('line', null, g);
      const t = svg('text', { class: 'crash-label', y: lane.y + 19 }, g);
      t.textContent = 'crash';
      items.push({
        place: function (X) {
          const x = X(xAt(m.t, m.seq));
          a.setAttribute('x1', x - 7); a.setAttribute('y1', lane.y - 7); a.setAttribute('x2', x + 7); a.setAttribute('y2', lane.y + 7);
          b.setAttribute('x1', x - 7); b.setAttribute('y1', lane.y + 7); b.setAttribute('x2', x + 7); b.setAttribute('y2', lane.y - 7);
          t.setAttribute('x', x - 12);
          claim(x - 12, lane.y + 9, x + 22, lane.y + 20);
        },
      });
      tip(g, () => ({ title: nodes[m.node] + ' crashed at ' + ms(m.t), lines: [m.text, 'fail-stop: it handles nothing from now on; messages to it are discarded'], bad: true }));
    } else if (m.kind === 'deaf-reply-lost') {
      const from = laneY(m.node);
      const to = laneY(m.peer);
      const g = svg('g', { class: 'msg rep', 'data-kind': 'deaf-reply-lost' }, gMsgs);
      const token = requestIdOf(m.text);
      if (token) addTo(lostRepliesOfToken, token, g);
      const line = svg('line', { class: 'lost' }, g);
      const cross = svg('path', { class: 'cross' }, g);
      const label = svg('text', { class: 'mark-label' }, g);
      label.textContent = 'reply lost (deaf)';
      items.push({
        place: function (X) {
          const x = X(xAt(m.t, m.seq));
          const xe = X(xAt(m.t, m.seq) + lostDx());
          const ye = from + (to - from) * 0.45;
          line.setAttribute('x1', x); line.setAttribute('y1', from); line.setAttribute('x2', xe); line.setAttribute('y2', ye);
          cross.setAttribute('d', 'M' + (xe - 4) + ',' + (ye - 4) + ' L' + (xe + 4) + ',' + (ye + 4) + ' M' + (xe - 4) + ',' + (ye + 4) + ' L' + (xe + 4) + ',' + (ye - 4));
          label.setAttribute('x', xe + 7);
          label.setAttribute('y', ye + 4);
          claim(xe + 7, ye - 6, xe + 100, ye + 5);
        },
      });
      tip(g, () => ({ title: m.text, lines: [nodes[m.node] + ' \u2192 ' + nodes[m.peer] + ' · call ' + m.id, 'thrown away at ' + ms(m.t) + ': the server was deaf; the caller learns only at its timeout'], bad: true }));
    } else if (m.kind === 'refused' || m.kind === 'timeout') {
      const lane = laneOfNode[m.node];
      const g = svg('g', { class: m.kind, 'data-kind': m.kind }, gMarks);
      const request = m.call && m.call.msg >= 0 ? msgById.get(m.call.msg) : null;
      if (request) addTo(callMarksOfMsg, request.id, g);
      const discard = request ? request.ends.find((e) => e.kind === 'discard') : null;
      const label = lazyText(g, 'mark-label', m.kind === 'refused' ? 'refused' : 'timeout');
      let path = null;
      let wait = null;
      if (m.kind === 'refused' && discard) path = svg('path', { 'marker-end': 'url(#ah-warn)' }, g);
      if (m.kind === 'timeout' && m.call && m.call.seq >= 0) wait = svg('line', { class: 'wait', y1: lane.y + 4, y2: lane.y + 4 }, g);
      if (m.kind === 'timeout') path = svg('path', null, g);
      const circle = svg('circle', { r: 4, cy: lane.y }, g);
      items.push({
        place: function (X) {
          const x = X(xAt(m.t, m.seq));
          circle.setAttribute('cx', x);
          const box = [x + 6, lane.y + 6, x + 50, lane.y + 17];
          if (!crowded && isFree(box)) {
            placedLabels.push(box);
            label.show(x + 6, lane.y + 15);
          } else {
            label.hide();
          }
          if (m.kind === 'refused' && path) {
            const x0 = X(xAt(discard.t, discard.seq));
            const y0 = laneY(m.peer);
            path.setAttribute('d', 'M' + x0 + ',' + y0 + ' L' + x + ',' + (lane.y + (y0 > lane.y ? 5 : -5)));
          } else if (m.kind === 'timeout') {
            if (wait) { wait.setAttribute('x1', X(xAt(m.call.t, m.call.seq))); wait.setAttribute('x2', x); }
            path.setAttribute('d', 'M' + x + ',' + (lane.y - 2.5) + ' L' + x + ',' + lane.y + ' L' + (x + 2.5) + ',' + lane.y);
          }
        },
      });
      tip(g, function () {
        const lines = [nodes[m.node] + ' \u2192 ' + nodes[m.peer] + ' · call ' + m.id + (m.call && m.call.t >= 0 ? ' started ' + ms(m.call.t) : '')];
        if (m.kind === 'refused') lines.push(discard ? 'its request reached ' + nodes[m.peer] + ' at ' + ms(discard.t) + ', which is down; the caller hears one hop later' : nodes[m.peer] + ' is down');
        else lines.push('no reply within rpc_timeout (' + span(run.rpc_timeout_us) + ')');
        return { title: 'call ' + (m.kind === 'refused' ? 'refused' : 'timed out') + ' at ' + ms(m.t), lines: lines, related: request && request.token ? { msgs: relatedMessages(request.token) } : null };
      });
    } else if (m.kind === 'assertion') {
      // A failed assertion in the node's protocol code: the run stopped right here.
      const lane = laneOfNode[m.node];
      const g = svg('g', { class: 'assertion', 'data-kind': 'assertion' }, gMarks);
      const diamond = svg('path', null, g);
      const bang = svg('text', { class: 'assertion-bang', y: lane.y + 4 }, g);
      bang.textContent = '!';
      const label = svg('text', { class: 'assertion-label', y: lane.y - 12 }, g);
      label.textContent = 'assertion failed';
      items.push({
        place: function (X) {
          const x = X(xAt(m.t, m.seq));
          diamond.setAttribute('d', 'M' + x + ',' + (lane.y - 9) + ' L' + (x + 9) + ',' + lane.y + ' L' + x + ',' + (lane.y + 9) + ' L' + (x - 9) + ',' + lane.y + ' Z');
          bang.setAttribute('x', x);
          // The run ends here, so the label goes on the left, inside the drawing.
          label.setAttribute('x', x - 12);
          claim(x - 110, lane.y - 22, x - 12, lane.y - 9);
        },
      });
      tip(g, () => ({ title: 'assertion failed in ' + nodes[m.node] + ' at ' + ms(m.t), lines: [m.text, 'the protocol broke one of its own invariants; the run stopped here'], bad: true }));
    } else if (m.kind === 'timer') {
      const lane = laneOfNode[m.node];
      const g = svg('g', { class: 'timer', 'data-kind': 'timer' }, gMarks);
      const c = svg('circle', { r: 3, cy: lane.y }, g);
      items.push({ place: (X) => c.setAttribute('cx', X(xAt(m.t, m.seq))) });
      tip(g, () => ({ title: 'timer ' + m.id + ' fired at ' + ms(m.t), lines: [nodes[m.node]] }));
    }
  });

  // Faults: a flag above the lanes and a dashed line through them.
  faults.forEach(function (f) {
    const g = svg('g', { 'data-kind': 'fault', class: 'fault-flag' }, gMarks);
    const line = svg('line', { class: 'fault-line', y1: 14, y2: locksTop - 22 }, g);
    const r = svg('rect', { y: 2, height: 13, width: 22, rx: 2 }, g);
    const t = svg('text', { y: 12 }, g);
    t.textContent = 'F' + f.n;
    items.push({
      place: function (X) {
        const x = X(xAt(f.t, f.seq));
        line.setAttribute('x1', x); line.setAttribute('x2', x);
        r.setAttribute('x', x - 11);
        t.setAttribute('x', x - 7);
      },
    });
    tip(g, () => ({ title: 'fault ' + f.n + ' at ' + ms(f.t), lines: [f.text] }));
  });

  // The end of the run.
  const endMark = marks.find((m) => m.kind === 'end');
  const endLine = svg('line', { class: 'end-line', y1: 0, y2: chartHeight }, gMarks);
  items.push({ place: function (X) { const x = X(endMark ? xAt(endMark.t, endMark.seq) : xAtTime(endUs, true)); endLine.setAttribute('x1', x); endLine.setAttribute('x2', x); } });

  // ---------------------------------------------------------------------------------------------
  // The view: which stretch of x is on screen.

  let v0 = 0;
  let v1 = 1;
  let showLabels = true;
  function plotWidth() { return Math.max(50, width - GUTTER - RIGHT); }
  function screenX(x) { return GUTTER + (x - v0) * plotWidth() / (v1 - v0); }
  function fromPx(px) { return v0 + (px - GUTTER) * (v1 - v0) / plotWidth(); }
  function fit() {
    const [a, b] = extent();
    const pad = (b - a) * 0.02 + (story ? 0.3 : 0);
    v0 = a - pad;
    v1 = b + pad;
  }
  function minSpan() { return story ? 0.5 : 0.002; }
  function setView(a, b) {
    clampView(a, b);
    schedule();
  }
  function clampView(a, b) {
    const [e0, e1] = extent();
    const full = (e1 - e0) * 1.3 + minSpan();
    const w = clamp(b - a, minSpan(), full);
    const mid = (a + b) / 2;
    a = mid - w / 2;
    const lo = e0 - (e1 - e0) * 0.15 - w * 0.5;
    const hi = e1 + (e1 - e0) * 0.15 + w * 0.5;
    a = clamp(a, lo, hi - w);
    v0 = a;
    v1 = a + w;
  }
  function zoomAt(px, factor) {
    const x = fromPx(px);
    setView(x - (x - v0) * factor, x + (v1 - x) * factor);
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; layout(true); });
  }

  let dense = false;    // so many arrows on screen that only their sum can be read
  let crowded = false;  // too many for the small labels of refusals and timeouts
  // `measure`: read the chart's width first (not on the first paint, where it was read before
  // the chart was built: reading it now would force the browser to lay out the page twice).
  function layout(measure) {
    if (measure !== false) width = chartDiv.clientWidth || document.documentElement.clientWidth || 1200;
    let visible = 0;
    for (const m of msgs) if (m.x1() >= v0 && m.x0() <= v1) visible++;
    dense = visible > plotWidth() / 6;
    crowded = visible > 60;
    root.classList.toggle('dense', dense);
    root.setAttribute('width', width);
    clipRect.setAttribute('width', plotWidth() + RIGHT);
    lanes.forEach(function (lane) { lane.bg.setAttribute('width', width); });
    laneLineItems.forEach(function (lane) {
      lane.line.setAttribute('x1', GUTTER);
      lane.line.setAttribute('x2', width);
      if (lane.crashX) {  // solid while the node is up, dashed once it is down
        const x = screenX(lane.crashX());
        lane.line.setAttribute('x2', x);
        lane.downLine.setAttribute('x1', x);
        lane.downLine.setAttribute('x2', width);
      }
    });
    breaks.forEach((b) => b.place && b.place(screenX));
    placedLabels.length = 0;  // operation bars and mark labels claim their boxes first
    for (const item of items) item.place(screenX);
    // Labels on arrows only when few enough are on screen to be read.
    const labels = showLabels && visible <= 160;
    for (const m of msgs) {
      const on = m.x1() >= v0 && m.x0() <= v1;
      m.g.style.display = on ? '' : 'none';
      if (on) m.place(screenX, labels);
    }
    drawAxis();
    drawBrush();
    spanText.textContent = 'showing ' + span(Math.max(0, Math.round(timeAtX(v1) - timeAtX(v0)))) + (story ? ' (story time)' : '');
  }
  // The time at an x (for the toolbar's "showing ..."): inverse of the current scale.
  function timeAtX(x) {
    if (!story) return x * 1000;
    if (!instants.length) return 0;
    if (x <= instants[0].x) return instants[0].t;
    for (let i = 0; i < instants.length; i++) {
      const a = instants[i];
      if (x <= a.x + a.w) return a.t;
      const b = instants[i + 1];
      if (!b) return a.t;
      if (x < b.x) return a.t + (b.t - a.t) * (x - a.x - a.w) / (b.x - a.x - a.w);
    }
    return endUs;
  }

  // ---------------------------------------------------------------------------------------------
  // Header, verdict, toolbar, overview, axis, facts.

  const head = document.getElementById('head');
  const h1 = html('h1', null, head);
  html('small', null, h1, 'locksim run');
  h1.appendChild(document.createTextNode(run.scenario));
  html('span', { class: 'pill ' + run.outcome }, head, run.outcome === 'pass' ? 'PASS' : 'VIOLATION');
  const meta = html('span', { class: 'meta' }, head);
  function metaItem(k, v) { meta.appendChild(document.createTextNode(k + ' ')); html('b', null, meta, v); meta.appendChild(document.createTextNode('  \u00b7  ')); }
  metaItem('seed', run.seed_text);
  if (run.flaw) metaItem('flaw', run.flaw);
  metaItem('operations', String(run.operations.invoked));
  metaItem('messages', String(run.messages.sent));
  meta.appendChild(document.createTextNode(span(endUs) + ' simulated'));
  if (run.description) html('p', { class: 'desc' }, head, run.description);
  const repro = html('div', { class: 'repro' }, head);
  html('span', { class: 'meta' }, repro, 'reproduce');
  html('code', null, repro, run.repro);

  const verdict = document.getElementById('verdict');
  function opChip(op, parent) {
    const b = html('button', { class: 'chip', type: 'button', 'data-op': op.i }, parent,
      '#' + op.i + ' client ' + op.client + ' ' + op.label + ' ' + ms(op.it) + '\u2192' + (op.rs >= 0 ? ms(op.rt) : '?') + ' = ' + (op.result === 'gave-up' ? 'gave up' : op.result));
    b.addEventListener('click', () => focusOps([op]));
    b.addEventListener('mouseenter', () => highlight({ ops: [op] }));
    b.addEventListener('mouseleave', () => highlight(null));
    return b;
  }
  if (violations.length === 0) {
    html('div', { class: 'passed-note' }, verdict, 'Every check passed: ' + run.checks.map((c) => c.summary).join('; ') + '.');
  }
  let explained = false;  // the explanation goes with the (one) linearizability violation
  // "440.982 ms", "1.234567 s", "12 µs" (runner/report.h's FormatSimTime) -> µs.
  function parseSimTime(text) {
    const m = /^([\d.]+) (µs|ms|s)$/.exec(text);
    if (!m) return NaN;
    return Math.round(Number(m[1]) * (m[2] === 's' ? 1e6 : m[2] === 'ms' ? 1e3 : 1));
  }
  // The operations a violation names, found from its message and the run's data.
  function opsNamedBy(v) {
    if (v.kind === 'expectation') {
      const step = /^steps\[(\d+)\]/.exec(v.message);
      return step ? ops.filter((op) => op.step === Number(step[1])) : [];
    }
    if (v.kind === 'liveness') {
      const m = /^client (\d+)'s (lock|unlock)\("(.*)"\) invoked at (\S+ \S+)/.exec(v.message);
      if (!m) return [];
      const at = parseSimTime(m[4]);
      return ops.filter((op) => op.code < 0 && op.client === Number(m[1]) && op.kind === m[2] &&
        locks[op.lock].name === m[3] && op.it === at);
    }
    return [];
  }
  function chipsFor(named, box) {
    if (!named.length) return;
    const chips = html('div', { class: 'chips' }, box);
    const shown = named.length > 8 ? 6 : named.length;
    named.slice(0, shown).forEach((op) => opChip(op, chips));
    if (shown < named.length) {
      const more = html('details', { class: 'more' }, box);
      html('summary', null, more, 'and ' + (named.length - shown) + ' more operations it names');
      const rest = html('div', { class: 'chips' }, more);
      named.slice(shown).forEach((op) => opChip(op, rest));
    }
  }
  // One box per kind of violation, one entry per violation in it.
  const boxOfKind = new Map();
  violations.forEach(function (v) {
    if (!boxOfKind.has(v.kind)) {
      const box = html('div', { class: 'violation' }, verdict);
      html('div', { class: 'kind' }, box, v.kind.replace(/_/g, ' '));
      boxOfKind.set(v.kind, box);
    }
    const entry = html('div', { class: 'entry', 'data-kind': 'violation', 'data-violation': v.kind }, boxOfKind.get(v.kind));
    const lines = v.message.split('\n');
    html('h2', null, entry, lines[0]);
    if (v.kind === 'linearizability' && explain && !explained) {
      // The checker's sentence, then the operations it names as buttons (their list in the
      // message says the same: it is kept, folded, as locksim run prints it).
      explained = true;
      html('p', { class: 'why' }, entry, explain.why);
      if (lines.length > 2) html('p', { class: 'note' }, entry, lines[2].trim());
      chipsFor(explain.ops.map((i) => ops[i]), entry);
      const raw = html('details', { class: 'raw' }, entry);
      html('summary', null, raw, 'as locksim run prints it');
      html('pre', null, raw, v.message);
    } else {
      if (lines.length > 1) html('pre', null, entry, lines.slice(1).join('\n'));
      chipsFor(opsNamedBy(v), entry);
    }
  });

  // Toolbar.
  const toolbar = document.getElementById('toolbar');
  function button(parent, text, title, onClick) {
    const b = html('button', { type: 'button', title: title }, parent, text);
    b.addEventListener('click', onClick);
    return b;
  }
  const zoomGroup = html('span', { class: 'group' }, toolbar);
  button(zoomGroup, '\u2212', 'zoom out (-)', () => zoomAt(GUTTER + plotWidth() / 2, 1.6));
  button(zoomGroup, '+', 'zoom in (+)', () => zoomAt(GUTTER + plotWidth() / 2, 1 / 1.6));
  button(zoomGroup, 'fit', 'the whole run (0)', () => { fit(); schedule(); });
  const suspects = ops.filter((op) => op.named || op.expectFailed || op.code < 0);
  if (suspects.length) {
    const g = html('span', { class: 'group' }, toolbar);
    const b = button(g, 'zoom to the violation', 'the operations the checks name', () => focusOps(suspects));
    b.classList.add('bad');
  }
  const scaleGroup = html('span', { class: 'group', role: 'group', 'aria-label': 'time scale' }, toolbar);
  const storyButton = button(scaleGroup, 'story time', 'idle stretches shortened; events at one instant spread in the order they happened', () => setScale(true));
  const realButton = button(scaleGroup, 'real time', 'x is virtual time to scale', () => setScale(false));
  function setScale(s) {
    if (s === story) return;
    const a = timeAtX(v0);
    const b = timeAtX(v1);
    story = s;
    storyButton.setAttribute('aria-pressed', String(story));
    realButton.setAttribute('aria-pressed', String(!story));
    addBreaks();
    drawOverview();
    const [e0, e1] = extent();
    if (a <= 0 && b >= endUs) fit(); else { v0 = xAtTime(Math.max(0, a), false); v1 = Math.max(v0 + minSpan(), xAtTime(b, true)); }
    if (v1 - v0 > (e1 - e0) * 1.3) fit();
    schedule();
  }
  storyButton.setAttribute('aria-pressed', String(story));
  realButton.setAttribute('aria-pressed', String(!story));
  const labelsBox = html('label', null, toolbar);
  const labelsInput = html('input', { type: 'checkbox', checked: '' }, labelsBox);
  labelsBox.appendChild(document.createTextNode(' message labels'));
  labelsInput.addEventListener('change', function () { showLabels = labelsInput.checked; schedule(); });
  const spanText = html('span', { class: 'span' }, toolbar);
  html('span', { class: 'hint' }, toolbar, 'wheel: zoom · drag: pan · hover: details · click an operation: zoom to it');

  // Overview: the whole run in one strip, with the part on screen framed.
  const overviewDiv = document.getElementById('overview');
  const OV_H = 40;
  const ov = svg('svg', { height: OV_H, 'aria-label': 'overview of the whole run' }, overviewDiv);
  const ovContent = svg('g', null, ov);
  const brush = svg('rect', { class: 'ov-brush', y: 1, height: OV_H - 2, rx: 2 }, ov);
  function ovX(x) { const [a, b] = extent(); return GUTTER + (x - a) * plotWidth() / Math.max(1e-9, b - a); }
  function drawOverview() {
    ov.setAttribute('width', width);
    ovContent.textContent = '';
    svg('rect', { class: 'ov-bg', x: GUTTER, y: 0, width: plotWidth(), height: OV_H }, ovContent);
    const label = svg('text', { class: 'axis-unit', x: 12, y: 24 }, ovContent);
    label.textContent = 'whole run';
    // Message density.
    const bins = Math.max(1, Math.floor(plotWidth() / 3));
    const counts = new Array(bins).fill(0);
    msgs.forEach(function (m) {
      const b = Math.floor((ovX(xAt(m.t, m.seq)) - GUTTER) / 3);
      if (b >= 0 && b < bins) counts[b]++;
    });
    const peak = Math.max(1, ...counts);
    let d = 'M' + GUTTER + ',' + OV_H;
    counts.forEach(function (c, i) { const h = 14 * c / peak; d += ' L' + (GUTTER + i * 3) + ',' + (OV_H - h) + ' L' + (GUTTER + i * 3 + 3) + ',' + (OV_H - h); });
    d += ' L' + (GUTTER + bins * 3) + ',' + OV_H + ' z';
    svg('path', { class: 'ov-density', d: d }, ovContent);
    // Operations, one thin row per client.
    const rows = Math.max(1, nodes.length - 2);
    const rowH = Math.min(4, 22 / rows);
    ops.forEach(function (op) {
      const a = ovX(xAt(op.it, op.is));
      const b = op.rs >= 0 ? ovX(xAt(op.rt, op.rs)) : ovX(extent()[1]);
      svg('rect', { class: op.named || op.expectFailed || op.code < 0 ? 'ov-bad' : 'ov-op', x: a, y: 2 + op.client * rowH, width: Math.max(1, b - a - 0.5), height: Math.max(1, rowH - 0.6) }, ovContent);
    });
    crashOf.forEach(function (m) { svg('rect', { class: 'ov-crash', x: ovX(xAt(m.t, m.seq)) - 1, y: 0, width: 2, height: OV_H }, ovContent); });
    locks.forEach(function (lock) {
      if (!lock.linearizable) svg('path', { class: 'ov-bad', d: 'M' + ovX(xAtTime(lock.stuck, true)) + ',' + (OV_H - 9) + ' l5,8 l-10,0 z' }, ovContent);
    });
  }
  function drawBrush() {
    const a = clamp(ovX(v0), GUTTER, GUTTER + plotWidth());
    const b = clamp(ovX(v1), GUTTER, GUTTER + plotWidth());
    brush.setAttribute('x', a);
    brush.setAttribute('width', Math.max(3, b - a));
  }
  function overviewMove(event) {
    const rect = ov.getBoundingClientRect();
    const [a, b] = extent();
    const x = a + (event.clientX - rect.left - GUTTER) * (b - a) / plotWidth();
    const w = v1 - v0;
    setView(x - w / 2, x + w / 2);
  }
  ov.addEventListener('mousedown', function (event) {
    event.preventDefault();
    overviewMove(event);
    const move = (e) => overviewMove(e);
    const up = () => { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  });

  // Axis: real time gets round ticks; story time labels the instants that fit.
  const axisDiv = document.getElementById('axis');
  const AXIS_H = 24;
  const axis = svg('svg', { height: AXIS_H }, axisDiv);
  function drawAxis() {
    axis.setAttribute('width', width);
    axis.textContent = '';
    const unit = svg('text', { class: 'axis-unit', x: 12, y: 15 }, axis);
    unit.textContent = story ? 'ms (story time)' : 'ms';
    const right = GUTTER + plotWidth() + RIGHT;
    function tick(x, text, major) {
      if (x < GUTTER - 1 || x > right) return;
      const g = svg('g', { class: 'tick' + (major ? ' major' : '') }, axis);
      svg('line', { x1: x, x2: x, y1: AXIS_H - (major ? 7 : 4), y2: AXIS_H }, g);
      if (text) {
        const t = svg('text', { x: x, y: AXIS_H - 10, 'text-anchor': 'middle' }, g);
        t.textContent = text;
      }
    }
    if (!story) {
      const per = (v1 - v0) / (plotWidth() / 80);
      const p = Math.pow(10, Math.floor(Math.log10(per)));
      const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= per);
      const digits = Math.max(0, -Math.floor(Math.log10(step)));
      for (let v = Math.ceil(v0 / step) * step; v <= v1; v += step) tick(screenX(v), v.toFixed(digits), true);
      return;
    }
    let lastLabel = -1e9;
    let drawnTicks = 0;
    const lo = v0;
    const hi = v1;
    for (const inst of instants) {
      if (inst.x + inst.w < lo) continue;
      if (inst.x > hi) break;
      const x = screenX(inst.x);
      const text = String(Math.round(inst.t / 10) / 100);
      const wText = 6.2 * text.length + 10;
      if (x - lastLabel > wText && x > GUTTER + wText / 2 - 4) {
        tick(x, text, true);
        lastLabel = x;
      } else if (drawnTicks < 600) {
        tick(x, null, false);
      }
      drawnTicks++;
    }
    breaks.forEach(function (b) {
      const x = (screenX(b.x0) + screenX(b.x1)) / 2;
      if (x < GUTTER + 20 || x > right - 20) return;
      const t = svg('text', { class: 'break-label', x: x, y: 9, 'text-anchor': 'middle' }, axis);
      t.textContent = '+' + span(b.dt);
    });
  }

  // Facts below the chart: what happened, the checks, faults, a legend.
  const facts = document.getElementById('facts');
  function table(title, rows) {
    const div = html('div', null, facts);
    html('h3', null, div, title);
    const t = html('table', null, div);
    rows.forEach(function (r) {
      const tr = html('tr', null, t);
      html('td', null, tr, r[0]);
      const td = html('td', null, tr);
      if (r[1] instanceof Node) td.appendChild(r[1]); else td.textContent = r[1];
    });
  }
  const n = run.messages;
  table('What happened', [
    ['operations', run.operations.invoked + ' invoked, ' + run.operations.completed + ' completed, ' + run.operations.failed + ' given up by their clerk'],
    ['messages', n.sent + ' sent, ' + n.delivered + ' delivered, ' + n.dropped + ' dropped, ' + n.duplicated + ' duplicated, ' + n.blocked + ' blocked by partitions, ' + n.discarded + ' discarded at crashed nodes'],
    ['calls', n.calls + ' RPCs: ' + n.calls_refused + ' refused, ' + n.calls_timed_out + ' timed out, ' + n.late_replies + ' late replies ignored'],
    ['time', span(endUs) + ' simulated, ' + run.events + ' events, ended ' + run.stop_reason],
    ['fingerprint', run.fingerprint],
  ]);
  table('Checks', run.checks.map(function (c) {
    const s = document.createElement('span');
    html('span', { class: c.passed ? 'check-pass' : 'check-fail' }, s, c.passed ? 'pass ' : 'FAIL ');
    s.appendChild(document.createTextNode(c.summary));
    return [c.name, s];
  }));
  table('Faults', faults.length ? faults.map((f) => ['F' + f.n + ' ' + ms(f.t), f.text]) : [['none', 'no fault fired']]);
  const legendDiv = html('div', null, facts);
  html('h3', null, legendDiv, 'How to read it');
  const legend = html('div', { class: 'legend' }, legendDiv);
  function legendItem(draw, text) {
    const s = html('span', null, legend);
    const icon = svg('svg', { width: 30, height: 14 }, s);
    draw(icon);
    s.appendChild(document.createTextNode(text));
  }
  legendItem((g) => svg('line', { x1: 2, y1: 7, x2: 26, y2: 7, stroke: '#2563eb', 'stroke-width': 1.6, 'marker-end': 'url(#ah-req)' }, g), 'request (client \u2192 server)');
  legendItem((g) => svg('line', { x1: 2, y1: 7, x2: 26, y2: 7, stroke: '#15803d', 'stroke-width': 1.6, 'marker-end': 'url(#ah-rep)' }, g), 'reply');
  legendItem((g) => svg('line', { x1: 2, y1: 7, x2: 26, y2: 7, stroke: '#7c3aed', 'stroke-width': 1.6, 'marker-end': 'url(#ah-fwd)' }, g), 'forward / ack (primary \u2194 backup)');
  legendItem(function (g) { svg('line', { x1: 2, y1: 7, x2: 20, y2: 7, stroke: '#dc2626', 'stroke-width': 1.6, 'stroke-dasharray': '4 3' }, g); svg('path', { d: 'M17,3 L25,11 M17,11 L25,3', stroke: '#dc2626', 'stroke-width': 2 }, g); }, 'lost (or discarded at a crashed node)');
  legendItem((g) => svg('line', { x1: 2, y1: 7, x2: 26, y2: 7, stroke: '#9ca3af', 'stroke-width': 1.6, 'stroke-dasharray': '2 3', 'marker-end': 'url(#ah-late)' }, g), 'late reply, ignored');
  legendItem((g) => svg('rect', { x: 2, y: 2, width: 26, height: 10, rx: 2, fill: '#dcfce7', stroke: '#15803d' }, g), 'operation \u2192 true (invoke to return)');
  legendItem((g) => svg('rect', { x: 2, y: 2, width: 26, height: 10, rx: 2, fill: '#fef3c7', stroke: '#b45309' }, g), '\u2192 false');
  legendItem((g) => svg('rect', { x: 2, y: 2, width: 26, height: 10, rx: 2, fill: 'url(#hatch-gaveup)', stroke: '#dc2626' }, g), 'gave up / pending');
  legendItem((g) => svg('path', { d: 'M15,3 l4,4 l-4,4 l-4,-4 z', fill: '#1f2937' }, g), 'linearization point (checker\u2019s order)');
  legendItem(function (g) { svg('circle', { cx: 15, cy: 7, r: 4, fill: '#fff', stroke: '#b45309', 'stroke-width': 1.6 }, g); }, 'call refused / timed out');
  legendItem(function (g) { svg('path', { d: 'M8,1 L22,13 M8,13 L22,1', stroke: '#dc2626', 'stroke-width': 3 }, g); }, 'crash');

  // ---------------------------------------------------------------------------------------------
  // Interaction: hover details, highlighting, zoom and pan.

  const tipDiv = document.getElementById('tip');
  let highlighted = [];
  function highlight(related) {
    highlighted.forEach((e) => e.classList.remove('on'));
    highlighted = [];
    gGuide.textContent = '';
    if (!related) { root.classList.remove('focus'); return; }
    root.classList.add('focus');
    const add = (e) => { if (e) { e.classList.add('on'); highlighted.push(e); } };
    (related.ops || []).forEach(function (op) {
      add(opEls[op.i]);
      if (op.token) {
        relatedMessages(op.token).forEach((m) => add(msgEls.get(m.id)));
        (lostRepliesOfToken.get(op.token) || []).forEach(add);
      }
      if (op.lin) {
        // A guide from the operation's linearization point down to its lock's lane.
        const x = screenX(momentX(op.lin));
        svg('line', { class: 'guide', x1: x, x2: x, y1: laneOfNode[op.client + 2].y - 10, y2: laneOfLock[op.lock].y - 9 }, gGuide);
      }
      lanes.forEach(function (lane) {
        if (lane.kind !== 'lock' || lane.lock !== op.lock) return;
        lane.group.querySelectorAll('.hold').forEach(function (h) {
          if ((' ' + h.dataset.ops + ' ').indexOf(' ' + op.i + ' ') >= 0) add(h);
        });
      });
    });
    (related.msgs ? Array.from(related.msgs) : []).forEach((m) => add(msgEls.get(m.id)));
    // The refusals and timeouts of the calls whose requests are lit.
    highlighted.slice().forEach(function (e) {
      (callMarksOfMsg.get(Number(e.getAttribute('data-id'))) || []).forEach(add);
    });
  }
  function showTip(info, event) {
    tipDiv.textContent = '';
    html('div', { class: 't' + (info.bad ? ' bad' : '') }, tipDiv, info.title);
    (info.lines || []).forEach(function (line) {
      if (typeof line === 'string') html('div', { class: 'l' }, tipDiv, line);
      else html('div', { class: 'l' + (line.bad ? ' bad' : '') }, tipDiv, line.text);
    });
    tipDiv.hidden = false;
    moveTip(event);
  }
  function moveTip(event) {
    const pad = 14;
    const w = tipDiv.offsetWidth;
    const h = tipDiv.offsetHeight;
    let x = event.clientX + pad;
    let yy = event.clientY + pad;
    if (x + w > window.innerWidth - 4) x = event.clientX - w - pad;
    if (yy + h > window.innerHeight - 4) yy = event.clientY - h - pad;
    tipDiv.style.left = Math.max(4, x) + 'px';
    tipDiv.style.top = Math.max(4, yy) + 'px';
  }
  let hovered = null;
  let dragging = null;
  root.addEventListener('mouseover', function (event) {
    if (dragging) return;
    const target = event.target.closest('[data-tip]');
    if (!target || target === hovered) return;
    hovered = target;
    const info = tips[Number(target.getAttribute('data-tip'))]();
    showTip(info, event);
    highlight(info.related || null);
  });
  root.addEventListener('mousemove', function (event) { if (!tipDiv.hidden) moveTip(event); });
  root.addEventListener('mouseout', function (event) {
    const to = event.relatedTarget && event.relatedTarget.closest ? event.relatedTarget.closest('[data-tip]') : null;
    if (to === hovered) return;
    hovered = null;
    tipDiv.hidden = true;
    highlight(null);
  });
  root.addEventListener('wheel', function (event) {
    event.preventDefault();
    const rect = root.getBoundingClientRect();
    if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      const dx = event.deltaX * (v1 - v0) / plotWidth();
      setView(v0 + dx, v1 + dx);
    } else {
      zoomAt(event.clientX - rect.left, Math.exp(event.deltaY * 0.0015));
    }
  }, { passive: false });
  axis.addEventListener('wheel', function (event) {
    event.preventDefault();
    zoomAt(event.clientX - axis.getBoundingClientRect().left, Math.exp(event.deltaY * 0.0015));
  }, { passive: false });
  root.addEventListener('mousedown', function (event) {
    if (event.button !== 0) return;
    dragging = { x: event.clientX, v0: v0, v1: v1, moved: false };
    root.classList.add('dragging');
    tipDiv.hidden = true;
  });
  window.addEventListener('mousemove', function (event) {
    if (!dragging) return;
    const dx = (event.clientX - dragging.x) * (dragging.v1 - dragging.v0) / plotWidth();
    if (Math.abs(event.clientX - dragging.x) > 3) dragging.moved = true;
    v0 = dragging.v0 - dx;
    v1 = dragging.v1 - dx;
    schedule();
  });
  window.addEventListener('mouseup', function () {
    if (!dragging) return;
    root.classList.remove('dragging');
    setTimeout(() => { dragging = null; }, 0);
  });
  root.addEventListener('click', function (event) {
    if (dragging && dragging.moved) return;
    const target = event.target.closest('[data-kind=op]');
    if (target) focusOps([ops[Number(target.getAttribute('data-op'))]]);
  });
  window.addEventListener('keydown', function (event) {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === '+' || event.key === '=') zoomAt(GUTTER + plotWidth() / 2, 1 / 1.6);
    else if (event.key === '-') zoomAt(GUTTER + plotWidth() / 2, 1.6);
    else if (event.key === '0') { fit(); schedule(); }
    else if (event.key === 'ArrowLeft') setView(v0 - (v1 - v0) * 0.2, v1 - (v1 - v0) * 0.2);
    else if (event.key === 'ArrowRight') setView(v0 + (v1 - v0) * 0.2, v1 + (v1 - v0) * 0.2);
  });
  window.addEventListener('resize', function () { drawOverview(); schedule(); });

  // Zooms to operations (with their context) and makes them blink.
  function viewOps(list) {
    let a = Infinity;
    let b = -Infinity;
    list.forEach(function (op) {
      a = Math.min(a, xAt(op.it, op.is));
      b = Math.max(b, op.rs >= 0 ? xAt(op.rt, op.rs) : extent()[1]);
    });
    const pad = Math.max((b - a) * 0.12, story ? 2 : 3 * hopUs / 1000);
    const [e0, e1] = extent();
    clampView(Math.max(a - pad, e0 - pad / 4), Math.min(b + pad, e1 + pad / 4));
  }
  function focusOps(list) {
    viewOps(list);
    schedule();
    list.forEach(function (op) {
      const e = opEls[op.i];
      e.classList.remove('flash');
      void e.getBoundingClientRect();
      e.classList.add('flash');
    });
    document.getElementById('timebar').scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  // ---------------------------------------------------------------------------------------------
  // First paint: synchronous, so that the page is complete when 'load' fires.

  addBreaks();
  // A big failing run opens on what the checks name; anything else opens whole.
  if (ops.length > BIG_RUN_OPS && suspects.length) viewOps(suspects); else fit();
  drawOverview();
  layout(false);
  // Benchmarks read these (scripts/bench_html.sh): the script's own time, and the time since
  // the page started loading. Reading offsetHeight first makes both include the first style and
  // layout of everything drawn, which the browser would otherwise do after the script.
  void document.body.offsetHeight;
  const doneMs = performance.now();
  document.body.setAttribute('data-render-ms', (doneMs - startMs).toFixed(1));
  document.body.setAttribute('data-ready-ms', doneMs.toFixed(1));
  document.body.setAttribute('data-rendered', '1');
})();
