// The lead's quality charts, drawn with uPlot (bundled). They must read
// with few samples: the window is chosen from the data (from an hour before
// the first hour that measured anything), each hour's share is a point in
// the middle of the hour (a line joins only hours next to each other, never
// across a gap), and each hour's count is a bar across that hour, one bar a
// stream side by side.
// Every chart follows the width of the page.
'use strict';

window.earshotCharts = (() => {
  const el = earshot.el;
  const MIN_HOURS = 6;  // the narrowest automatic window
  const HEIGHT = 180;
  const plots = [];  // {key, kind, plot} of the charts on the page, for resizing (and the tests)

  // Whether the hour `i` of stream `s` measured anything in `series`:
  // a share that is not null, or a count above zero.
  const measured = (s, series, i) => series.some(([key, , , share]) => (share ? s[key][i] != null : s[key][i] > 0));

  // [from, to] in seconds: `hours` hours up to now, or with hours 'auto',
  // from an hour before the first hour with data (at least MIN_HOURS).
  function windowOf(data, series, hours) {
    const last = data.hours[data.hours.length - 1];
    let first = last - Number(hours) + 1;
    if (hours === 'auto') {
      const i = data.hours.findIndex((h, i) => data.streams.some((s) => measured(s, series, i)));
      first = Math.min(i < 0 ? last : data.hours[i] - 1, last - MIN_HOURS + 1);
    }
    return [first * 3600, (last + 1) * 3600];
  }

  // Counts as bars: stream k of n fills its share of the middle 80% of
  // each hour, so bars of several streams stand side by side.
  function barsOf(k, n) {
    const width = (0.8 * 3600) / n;
    return uPlot.paths.bars({
      disp: {
        x0: { unit: 3, values: (u) => u.data[0].map((x) => x - 0.4 * 3600 + k * width) },
        size: { unit: 3, values: () => [width] },
      },
    });
  }

  function seriesOf(data, key, fmt, share, colours) {
    return data.streams.map((s, k) => {
      const colour = colours[k % colours.length];
      const common = { label: s.name, stroke: colour, value: (u, v) => (v == null ? '—' : fmt(v)) };
      if (share) return { ...common, width: 2, spanGaps: false, points: { show: true, size: 9, fill: colour } };
      return { ...common, width: 1, fill: colour + '99', paths: barsOf(k, data.streams.length), points: { show: false } };
    });
  }

  function chart(figure, data, [key, , fmt, share], range, colours, width) {
    const x = data.hours.map((h) => h * 3600 + 1800);  // the middle of each hour
    const plot = new uPlot({
      width, height: HEIGHT,
      series: [{}, ...seriesOf(data, key, fmt, share, colours)],
      scales: {
        x: { time: true, range: () => range },
        y: share ? { range: [0, 1] } : { range: (u, min, max) => [0, Math.max(1, max)] },
      },
      axes: [{}, { size: 64, values: (u, vals) => vals.map((v) => fmt(v)) }],
    }, [x, ...data.streams.map((s) => s[key])], figure);
    plots.push({ key, kind: share ? 'points' : 'bars', plot });
  }

  const resize = new ResizeObserver((entries) => {
    const width = entries[0].target.clientWidth;
    for (const { plot } of plots) if (width > 0 && plot.width !== width) plot.setSize({ width, height: HEIGHT });
  });

  // Draws one chart a series of `series` ([key, title, format, is a share])
  // into `box` from a quality report (GET /api/v1/quality/series) over
  // `hours` (a number, or 'auto': from the data).
  function render(box, data, series, hours, colours) {
    for (const { plot } of plots.splice(0)) plot.destroy();
    const range = windowOf(data, series, hours);
    const width = box.clientWidth || 800;
    for (const s of series) {
      const figure = el('figure', { class: 'chart', 'aria-label': s[1] }, el('figcaption', {}, el('strong', {}, s[1])));
      box.append(figure);
      chart(figure, data, s, range, colours, width);
      const latest = data.streams.map((st) => {
        const last = [...st[s[0]]].reverse().find((v) => v != null);
        return `${st.name}: ${last == null ? 'no data' : s[2](last)}`;
      }).join(' · ');
      figure.append(el('p', { class: 'muted' }, `Latest — ${latest}`));
    }
    resize.disconnect();
    resize.observe(box);
  }

  // Points with their intervals, one a day (no line joins them: a day
  // without data has no point, and one point still reads). `estimates` are
  // {value, low, high, units} or null; `range` is [min, max] of the y axis.
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }
  function intervals(figure, days, estimates, [min, max], fmt) {
    const W = 640, H = 150, L = 56, B = 22, T = 8;
    const x = (i) => L + ((i + 0.5) * (W - L)) / days.length;
    const y = (v) => T + (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min)) * (H - T - B);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': figure.getAttribute('aria-label') });
    for (const v of [min, (min + max) / 2, max]) {
      root.append(svg('line', { x1: L, x2: W, y1: y(v), y2: y(v), stroke: '#c8c8c8', 'stroke-width': 1 }));
      const label = svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4a4a4a' });
      label.textContent = fmt(v);
      root.append(label);
    }
    const every = Math.max(1, Math.ceil(days.length / 8));
    days.forEach((d, i) => {
      if (i % every === 0 || i === days.length - 1) {
        const label = svg('text', { x: x(i), y: H - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#4a4a4a' });
        label.textContent = d.slice(5);
        root.append(label);
      }
      const e = estimates[i];
      if (!e) return;
      root.append(svg('line', { x1: x(i), x2: x(i), y1: y(e.low), y2: y(e.high), stroke: '#0b57d0', 'stroke-width': 2, 'data-day': d }));
      const dot = svg('circle', { cx: x(i), cy: y(e.value), r: 4.5, fill: '#0b57d0', 'data-day': d, class: 'estimate' });
      const tip = svg('title', {});
      tip.textContent = `${d}: ${fmt(e.value)} (${fmt(e.low)}–${fmt(e.high)}), ${e.units} clips`;
      dot.append(tip);
      root.append(dot);
    });
    figure.append(root);
  }

  return { render, plots, intervals };
})();
