"""The reports as pictures: PNG charts of the funnel report and the pipeline summary, drawn
with matplotlib's Agg renderer, for Slack uploads, the console and `dealbot report --format
png`.

matplotlib is imported only by `canvas.new_figure`, when a chart is drawn, so that nothing
that draws no chart pays for it (`dealbot --help` checks this). Each chart is a plain object
over a report computed once (the same object the JSON and the message come from): its
picture, its alt text and its file name.
"""
