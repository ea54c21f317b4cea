// A patient's observations: fetches the plot's data (compact arrays, see ObservationSeries) from the address the
// page names, draws it with uPlot (drag to zoom, double-click to zoom out) and fills the table with the latest
// data points. A file of its own: the pages' policy allows no inline script.
(function () {
  'use strict';
  const TABLE_ROWS = 100;
  const COLOURS = ['#0b5cad', '#a4161a', '#116329', '#7a3e9d', '#8a5a00', '#00727a'];

  function text(element, value) {
    element.textContent = value;
  }

  function time(seconds) {
    return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }

  function table(section, data) {
    const head = section.querySelector('#table-head');
    const body = section.querySelector('#table-body');
    for (const s of data.series) {
      const th = document.createElement('th');
      th.scope = 'col';
      text(th, s.unit ? `${s.label} (${s.unit})` : s.label);
      head.appendChild(th);
    }
    const rows = Math.min(TABLE_ROWS, data.t.length);
    const fragment = document.createDocumentFragment();
    for (let i = data.t.length - 1; i >= data.t.length - rows; i--) {
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
    text(section.querySelector('#table-caption'), rows < data.t.length
      ? `The latest ${rows} of ${data.t.length} observations (all of them are in the CSV file)`
      : `All ${data.t.length} observations, latest first`);
    section.querySelector('#observations-table').hidden = false;
  }

  function plot(container, data) {
    const width = () => Math.max(280, container.clientWidth);
    const options = {
      width: width(),
      height: 320,
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: 'Time' }].concat(data.series.map((s, i) => ({
        label: s.unit ? `${s.label} (${s.unit})` : s.label,
        stroke: COLOURS[i % COLOURS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: data.t.length < 500 },
      }))),
      axes: [{}, { label: data.series.map((s) => s.unit).filter(Boolean)[0] || '' }],
    };
    const chart = new uPlot(options, [data.t].concat(data.series.map((s) => s.v)), container);
    window.addEventListener('resize', () => chart.setSize({ width: width(), height: 320 }));
    return chart;
  }

  async function load(section) {
    const status = section.querySelector('#plot-status');
    try {
      const answer = await fetch(section.dataset.seriesUrl, { headers: { Accept: 'application/json' } });
      if (!answer.ok) {
        throw new Error(answer.status === 401 ? 'Your session has ended: please sign in again.'
          : answer.status === 403 ? 'You do not have access to these observations.'
            : 'The observations could not be read. Please try again.');
      }
      const data = await answer.json();
      if (data.t.length === 0 || data.series.length === 0) {
        text(status, 'No observations of this type in this range.');
        section.dataset.state = 'empty';
        return;
      }
      plot(section.querySelector('#plot'), data);
      table(section, data);
      section.querySelector('#plot-hint').hidden = false;
      text(status, `${data.t.length} observation${data.t.length === 1 ? '' : 's'}`
        + (data.truncated ? ' (only the first ones of this range: choose a shorter range to see all)' : '') + '.');
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
