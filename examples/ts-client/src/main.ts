// npm start -w @shop/example-ts-client   (with the API running; API_URL defaults to http://localhost:3000)
import { randomInt } from "node:crypto";
import { demo } from "./demo.ts";

const baseUrl = process.env.API_URL ?? "http://localhost:3000";
const result = await demo(baseUrl, `client${randomInt(1e9)}`, "example-password");
console.log(JSON.stringify(result, null, 2));
