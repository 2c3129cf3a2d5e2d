import base from "@shop/eslint-config";

// A standalone example program: it reads API_URL itself rather than through an env module.
export default [...base, { rules: { "no-restricted-properties": "off" } }];
