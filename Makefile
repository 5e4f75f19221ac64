# Shortcuts for the npm scripts (README's two commands are the source of truth).
.PHONY: install demo start test e2e sdk-test bench typecheck rbac-doc clean

install:
	npm ci

demo: install
	npm run demo

start:
	npm start

test: install
	npm test

e2e:
	npm run build && npm run test:e2e

sdk-test:
	npm run build && node scripts/sdk-integration.mjs

bench:
	npm run bench

typecheck:
	npm run typecheck

rbac-doc:
	npm run docs:rbac

clean:
	rm -rf core/dist plugin-sdk/dist plugins/*/dist frontend-shell/dist
