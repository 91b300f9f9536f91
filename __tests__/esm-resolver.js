/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS files jest loads untranspiled */
/**
 * Jest resolves with the "require" export condition; kubernetes-models and a few of its
 * dependencies export ESM only ("import"). For those packages resolve with "import" too, and
 * let swc transpile them (see jest.config.js).
 */
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex|ip-regex)(\/|$)/;

const { stubFor } = require("./shared-modules");

function resolve(request, options) {
  const inEsmPackage = /node_modules\/(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex)\//.test(options.basedir);
  if (ESM_ONLY.test(request) || (inEsmPackage && !request.startsWith("."))) {
    try {
      return options.defaultResolver(request, { ...options, conditions: ["import", "default", "node"] });
    } catch {
      // fall through to the default conditions
    }
  }
  return options.defaultResolver(request, options);
}

module.exports = (request, options) => stubFor(resolve(request, options));
