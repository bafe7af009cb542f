import { defineConfig } from 'wxt';

// See ../shared/DESIGN.md for the architecture and contracts this config serves.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: ({ manifestVersion }) => ({
    name: 'Attribution Lens',
    description:
      'Highlights threat actors, the state agencies behind them and the agencies that attribute them on news pages, with sourced facts on hover.',
    permissions: ['storage', 'tabs', 'scripting', 'contextMenus'],
    // Sites beyond the default news sites are opt-in, one origin at a time, from the popup.
    ...(manifestVersion === 2
      ? { optional_permissions: ['*://*/*'] }
      : { optional_host_permissions: ['*://*/*'] }),
    action: { default_title: 'Attribution Lens' },
    commands: {
      'annotate-selection': {
        suggested_key: { default: 'Alt+Shift+A' },
        description: 'Annotate the selected text',
      },
    },
  }),
  vite: () => ({
    build: {
      rollupOptions: {
        onwarn(warning, warn) {
          // Zod 4 ships /*#__PURE__*/ annotations in positions rollup reports as INVALID_ANNOTATION; harmless.
          if (warning.code === 'INVALID_ANNOTATION') return;
          warn(warning);
        },
      },
    },
  }),
});
