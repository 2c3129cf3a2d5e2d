import base from "@shop/eslint-config";

export default base;
