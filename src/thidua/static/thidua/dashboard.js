// Dashboard charts; data comes from json_script blocks (no inline script under CSP).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("activity-chart");
  if (!canvas || !window.Chart) return;
  const months = JSON.parse(document.getElementById("chart-months").textContent);
  const series = JSON.parse(document.getElementById("chart-series").textContent);
  const linksNode = document.getElementById("chart-links");
  const links = linksNode ? JSON.parse(linksNode.textContent) : [];
  const colours = ["#8b1a1a", "#1e5a8c", "#287846", "#a06e14", "#5a3c82", "#6c757d", "#d9480f"];
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: months, datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colours[i % colours.length] })) },
    options: {
      animation: false,
      responsive: true,
      // Drill-down: a bar opens the activities of that form and month.
      onClick: (_event, elements) => {
        const hit = elements[0];
        const url = hit && links[hit.datasetIndex] && links[hit.datasetIndex][hit.index];
        if (url) window.location.assign(url);
      },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.length ? "pointer" : "default"; },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
});
