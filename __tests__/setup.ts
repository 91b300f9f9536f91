import { Testing } from "cdktf";
import { withoutTokenTraces } from "../src/synth-traces";

Testing.setupJest();

// cdktf captures a full stack trace for every token it creates, and jest source-maps each one:
// about two thirds of a synth's time in a test. Errors keep their source-mapped traces.
Error.prepareStackTrace = withoutTokenTraces(Error.prepareStackTrace);
