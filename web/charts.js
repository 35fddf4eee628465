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

  return { render, plots };
})();
