// A patient's observations: fetches the plot's series, reduced to the plot's width by the server (see
// ReducedSeries), draws it with uPlot, and asks again for the narrower range on each zoom (drag across the plot),
// until each point is one observation as it is; double-click or "Show the whole range" goes back. Where a point
// stands for several observations, a band shows their lowest and highest values. The table holds the latest
// observations exactly as stored (a separate request); the CSV file all of them. A file of its own: the pages'
// policy allows no inline script.
(function () {
  'use strict';
  const COLOURS = ['#0b5cad', '#a4161a', '#116329', '#7a3e9d', '#8a5a00', '#00727a'];
  const BANDS = ['rgba(11,92,173,0.18)', 'rgba(164,22,26,0.18)', 'rgba(17,99,41,0.18)', 'rgba(122,62,157,0.18)',
    'rgba(138,90,0,0.18)', 'rgba(0,114,122,0.18)'];

  function text(element, value) {
    element.textContent = value;
  }

  function time(seconds) {
    return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }

  function failure(status) {
    return new Error(status === 401 ? 'Your session has ended: please sign in again.'
      : status === 403 ? 'You do not have access to these observations.'
        : 'The observations could not be read. Please try again.');
  }

  async function fetchJson(url) {
    const answer = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!answer.ok) {
      throw failure(answer.status);
    }
    return answer.json();
  }

  function label(s) {
    return s.unit ? `${s.label} (${s.unit})` : s.label;
  }

  // the latest observations, newest first, exactly as stored
  function table(section, data, total) {
    const head = section.querySelector('#table-head');
    const body = section.querySelector('#table-body');
    for (const s of data.series) {
      const th = document.createElement('th');
      th.scope = 'col';
      text(th, label(s));
      head.appendChild(th);
    }
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < data.t.length; i++) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      text(td, time(data.t[i]));
      tr.appendChild(td);
      for (const s of data.series) {
        const cell = document.createElement('td');
        text(cell, s.v[i] === null ? '' : String(s.v[i]));
        tr.appendChild(cell);
      }
      fragment.appendChild(tr);
    }
    body.appendChild(fragment);
    text(section.querySelector('#table-caption'), data.t.length < total
      ? `The latest ${data.t.length} of ${total} observations, latest first (all of them are in the CSV file)`
      : `All ${data.t.length} observations, latest first`);
    section.querySelector('#observations-table').hidden = false;
  }

  // uPlot's columns: time, then per quantity its mean, and its lowest and highest values for the band
  function columns(data, names) {
    const result = [data.t];
    for (const name of names) {
      const s = data.series.find((c) => c.name === name);
      const empty = () => data.t.map(() => null);
      result.push(s ? s.v : empty(), s ? s.min : empty(), s ? s.max : empty());
    }
    return result;
  }

  function points(container) {
    return Math.min(2000, Math.max(10, Math.round(container.clientWidth || 1000)));
  }

  function plot(section, container, whole) {
    const names = whole.series.map((s) => s.name);
    const width = () => Math.max(280, container.clientWidth);
    const series = [{ label: 'Time' }];
    const bands = [];
    whole.series.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const mean = series.length;
      series.push({ label: label(s), stroke: colour, width: 1.5, spanGaps: true,
        points: { show: (u) => u.data[0].length < 500 } });
      series.push({ label: `${s.label}, lowest`, stroke: BANDS[i % BANDS.length], width: 0.5, spanGaps: true,
        points: { show: false } });
      series.push({ label: `${s.label}, highest`, stroke: BANDS[i % BANDS.length], width: 0.5, spanGaps: true,
        points: { show: false } });
      bands.push({ series: [mean + 2, mean + 1], fill: BANDS[i % BANDS.length] });
    });
    const status = section.querySelector('#plot-status');
    const reset = section.querySelector('#plot-reset');
    let asked = 0;
    let chart;

    function describe(data, zoomed) {
      const count = `${data.count} observation${data.count === 1 ? '' : 's'}`;
      const where = zoomed ? ` from ${time(data.from)} to ${time(data.to)}` : '';
      text(status, data.reduced
        ? `${count}${where}, drawn as ${data.t.length} points: each the mean of its time span, the band their lowest`
          + ' and highest values. Zoom in to see each observation.'
        : `${count}${where}, each drawn as it is.`);
    }

    function showWhole() {
      asked++;
      chart.setData(columns(whole, names), true);
      describe(whole, false);
      reset.hidden = true;
      section.dataset.state = 'plotted';
    }

    async function zoom(min, max) {
      const start = Math.max(whole.from, Math.floor(min));
      const end = Math.min(whole.to, Math.ceil(max));
      if (end <= start) {
        return;
      }
      const mine = ++asked;
      section.dataset.state = 'loading';
      text(status, 'Loading the observations of the chosen span…');
      try {
        const data = await fetchJson(`${section.dataset.seriesUrl}&start=${start}&end=${end}`
          + `&points=${points(container)}`);
        if (mine !== asked) {
          return; // a later zoom or a reset came first
        }
        chart.setData(columns(data, names), false);
        chart.setScale('x', { min: start, max: end });
        describe(data, true);
        reset.hidden = false;
        section.dataset.state = 'zoomed';
      } catch (e) {
        if (mine === asked) {
          text(status, e instanceof TypeError ? 'The observations could not be read. Please try again.' : e.message);
          section.dataset.state = 'error';
        }
      }
    }

    const options = {
      width: width(),
      height: 320,
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false, setScale: false } },
      series,
      bands,
      axes: [{}, { label: whole.series.map((s) => s.unit).filter(Boolean)[0] || '' }],
      hooks: {
        setSelect: [(u) => {
          if (u.select.width > 4) {
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom(min, max);
          }
        }],
      },
    };
    chart = new uPlot(options, columns(whole, names), container);
    container.addEventListener('dblclick', showWhole);
    reset.addEventListener('click', showWhole);
    window.addEventListener('resize', () => chart.setSize({ width: width(), height: 320 }));
    describe(whole, false);
    return chart;
  }

  async function load(section) {
    const status = section.querySelector('#plot-status');
    const container = section.querySelector('#plot');
    try {
      const data = await fetchJson(`${section.dataset.seriesUrl}&points=${points(container)}`);
      if (data.t.length === 0 || data.series.length === 0) {
        text(status, 'No observations of this type in this range.');
        section.dataset.state = 'empty';
        return;
      }
      plot(section, container, data);
      section.querySelector('#plot-hint').hidden = false;
      table(section, await fetchJson(section.dataset.latestUrl), data.count);
      section.dataset.state = 'plotted';
    } catch (e) {
      status.classList.add('error');
      text(status, e instanceof TypeError ? 'The observations could not be read. Please try again.' : e.message);
      section.dataset.state = 'error';
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const section = document.getElementById('observations');
    if (section) {
      load(section);
    }
  });
}());
