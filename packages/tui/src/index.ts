/**
 * Placeholder: this package is wired into the build but implements nothing yet.
 * It exports no API, so nothing can depend on behaviour that does not exist.
 */
export {};
