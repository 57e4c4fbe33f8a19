// Parses a TAP file with tap-parser (the TAP 14 reference parser) in strict
// mode and prints what it understood as JSON: the summary, its own parse
// errors, and each test point with its YAML block.
import { Parser } from 'tap-parser'
import { readFileSync } from 'node:fs'

const parser = new Parser({ strict: true })
const points = []
parser.on('assert', (point) =>
  points.push({ ok: point.ok, id: point.id, name: point.name, skip: point.skip, diag: point.diag }),
)
parser.on('complete', (result) => {
  const summary = {
    ok: result.ok,
    count: result.count,
    pass: result.pass,
    fail: result.fail,
    skip: result.skip,
    bailout: result.bailout,
    plan: result.plan.end,
  }
  const errors = result.failures.filter((f) => f.tapError).map((f) => f.tapError)
  console.log(JSON.stringify({ summary, errors, points }))
})
parser.end(readFileSync(process.argv[2], 'utf8'))
