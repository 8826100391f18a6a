// electron-builder configuration (electron-builder 26). See build/README.md for packaging on a
// machine that can reach an Electron mirror; this repository's CI cannot download Electron.
//
// The app ships only the built output: dist/electron (main.cjs, preload.cjs) and dist/renderer.
// The root package.json has no runtime dependencies (the renderer and main are bundled), so no
// node_modules and no native modules go into app.asar and nothing needs rebuilding for Electron.

/** Placeholders for release metadata: .deb packaging refuses to build without them. */
const RELEASE_METADATA = {
  homepage: 'https://gridwork.example.invalid/',
  maintainer: 'Gridwork maintainers <gridwork@example.invalid>',
};

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'cn.gridwork.desktop',
  productName: 'Gridwork 网格通',
  copyright: 'Copyright © Gridwork',
  directories: { buildResources: 'build', output: 'release' },
  files: ['package.json', 'dist/electron/**', 'dist/renderer/**', '!**/node_modules/**'],
  extraMetadata: { homepage: RELEASE_METADATA.homepage },
  asar: true,
  // Nothing native to rebuild; and @electron/rebuild under npx silently builds for Node's ABI.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  // Never try to publish from a build (it would also need the network).
  publish: null,
  // Flip Electron's fuses: no ELECTRON_RUN_AS_NODE / NODE_OPTIONS / --inspect tricks to run
  // arbitrary code with the app's identity, and load the app only from its (verified) app.asar.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },
  win: {
    executableName: 'Gridwork',
    target: [{ target: 'nsis', arch: ['x64'] }],
    artifactName: '${name}-${version}-win-${arch}.${ext}',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    installerLanguages: ['zh_CN', 'en_US'],
    shortcutName: '网格通',
  },
  linux: {
    executableName: 'gridwork',
    // Kylin V10 / UOS on Phytium and Kunpeng are arm64; most street PCs are x64.
    target: [
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ],
    category: 'Office',
    maintainer: RELEASE_METADATA.maintainer,
    synopsis: 'Grid-based community governance (网格化基层治理)',
    artifactName: '${name}-${version}-linux-${arch}.${ext}',
  },
};

module.exports = config;
