import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`promptops: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
