// Opens an HTML report in headless Chromium (Debian's, driven by
// playwright-core) and prints as JSON what a reader of the page would see:
// the network requests it tried (it must be self-contained, so every request
// that is not file: or data: is recorded and aborted), its script errors, the
// summary counts, how many scenarios each filter button and the first tag
// leave visible, the first failed scenario's diff once its summary and its
// failure's summary are clicked open, and its timeline bars. Then it takes a
// full-page screenshot with that failure open.
import { chromium } from 'playwright-core'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [report, screenshot] = process.argv.slice(2)
if (!report || !screenshot) {
  console.error('usage: node html-check.mjs REPORT.html SCREENSHOT.png')
  process.exit(2)
}

const local = (url) => url.startsWith('file:') || url.startsWith('data:')
const scenarios = 'details.scenario'

async function check(page) {
  const requests = []
  const errors = []
  page.on('request', (request) => local(request.url()) || requests.push(request.url()))
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  await page.route('**/*', (route) => (local(route.request().url()) ? route.continue() : route.abort()))
  // page.route does not see WebSockets; a handler that never connects to the
  // server stands in for it, and closing it fails the socket.
  await page.routeWebSocket(/.*/, (socket) => {
    requests.push(socket.url())
    socket.close()
  })
  await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' })

  const counts = await page.evaluate(() =>
    Object.fromEntries(
      ['passed', 'failed', 'errored', 'skipped', 'flaky', 'total'].map((status) => {
        const element = document.querySelector(`.count[data-status="${status}"]`)
        const value = element ? parseInt(element.textContent, 10) : NaN
        return [status, Number.isNaN(value) ? null : value]
      }),
    ),
  )
  const visibleCount = () => page.locator(`${scenarios}:visible`).count()

  const visible = {}
  for (const filter of ['all', 'passed', 'failed', 'errored', 'skipped']) {
    const button = page.locator(`button.filter[data-filter="${filter}"]`)
    visible[filter] = null
    if (await button.count()) {
      await button.first().click()
      visible[filter] = await visibleCount()
    }
  }
  const all = page.locator('button.filter[data-filter="all"]')
  if (await all.count()) await all.first().click()

  const select = page.locator('select#tag-filter')
  let tags = null
  let visibleByTag = null
  if (await select.count()) {
    tags = (await select.locator('option').evaluateAll((options) => options.map((o) => o.value)))
      .filter((value) => value !== '')
    if (tags.length) {
      await select.selectOption(tags[0]) // fires input and change
      visibleByTag = await visibleCount()
      await select.selectOption('')
    }
  }

  // Clicking a summary toggles its details, so only a closed one is clicked.
  const open = async (details) => {
    if ((await details.getAttribute('open')) === null) await details.locator(':scope > summary').first().click()
    return (await details.getAttribute('open')) !== null
  }
  let failure = null
  let timeline = null
  const failed = page.locator(`${scenarios}[data-status="failed"]`).first()
  if (await failed.count()) {
    const scenarioOpened = await open(failed)
    failure = { opened: false, diff_visible: false, diff_text: null, deleted: 0, inserted: 0 }
    const details = failed.locator('details.failure').first()
    if (await details.count()) {
      failure.opened = (await open(details)) && scenarioOpened
      const diff = details.locator('pre.diff').first()
      if (await diff.count()) {
        failure.diff_visible = await diff.isVisible()
        failure.diff_text = await diff.innerText()
        failure.deleted = await diff.locator('.del').count()
        failure.inserted = await diff.locator('.ins').count()
      }
    }
    const bars = failed.locator('.timeline .bar')
    timeline = {
      bars: await bars.count(),
      bars_with_width: await bars.evaluateAll((elements) => elements.filter((b) => b.getBoundingClientRect().width > 0).length),
    }
  }

  await page.screenshot({ path: screenshot, fullPage: true })
  const scenarioCount = await page.locator(scenarios).count()
  return { requests, errors, counts, scenarios: scenarioCount, visible, tags, visible_by_tag: visibleByTag, failure, timeline }
}

let browser
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000) // a missing or hidden control fails in seconds, not 30
  console.log(JSON.stringify(await check(page)))
} catch (error) {
  console.error(`html-check: ${error.message}`)
  process.exitCode = 1
} finally {
  await browser?.close()
}
