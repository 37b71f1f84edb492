const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const t = [['boot', cpu()]];
const { limitYoungGeneration } = await import('../dist/young-generation.js'); limitYoungGeneration(); t.push(['young-gen', cpu()]);
await import('@multidb/core'); t.push(['core', cpu()]);
await import('@multidb/dialect/registry'); t.push(['registry', cpu()]);
const { main } = await import('../dist/bundle/main.js'); t.push(['cli bundle', cpu()]);
process.exitCode = await main(process.argv.slice(2)); t.push(['main()', cpu()]);
process.on('exit', () => { t.push(['exit', cpu()]); let p = 0; process.stderr.write('MARKS ' + JSON.stringify(t.map(([n, v]) => { const d = v - p; p = v; return [n, +d.toFixed(1)]; })) + '\n'); });
