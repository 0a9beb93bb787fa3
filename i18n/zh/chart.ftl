# shmlab 的中文文本：SVG 图表的标题、坐标轴标签和图例。
# 每条消息都必须在 ../en/chart.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
