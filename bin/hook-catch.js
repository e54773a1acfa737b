#!/usr/bin/env node
import { run } from '../dist/cli/program.js';

run(process.argv);
