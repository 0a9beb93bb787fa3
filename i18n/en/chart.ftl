# shmlab in English: Chart titles, axis labels and legends of the SVG charts.
# Every message must exist in ../zh/chart.ftl with the same arguments (tested).
