import { testRule } from '../harness/rule-tester.js';

const terminal = (lock: string, extra = '') => `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: TEST-PC001
    kind: desktop
    ownership: union
    connectedToLan: true
    status: active
${lock}    screenFacesAisle: false
    antivirus: { product: AV, installed: true, realtimeProtection: true, autoUpdate: true, patternDate: "2026-11-19", lastFullScan: "2026-11-16" }
${extra}`;

testRule('terminal-screen-lock', {
  valid: [
    { name: 'password lock at 5 minutes', files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 5\n') } },
    { name: 'auto log-off at 1 minute', files: { terminals: terminal('    screenLock:\n      method: auto-logoff\n      idleMinutes: 1\n') } },
    { name: 'a stricter parameter still passes 3 minutes', params: { maxIdleMinutes: 3 }, files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 3\n') } },
  ],
  invalid: [
    {
      name: 'idle time of 6 minutes',
      files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 6\n') },
      errors: [{ assertion: 'idle-time', line: 12, column: 7, recordId: 'T-001', message: '6 分' }],
    },
    {
      name: 'screensaver without password',
      files: { terminals: terminal('    screenLock:\n      method: screensaver-only\n      idleMinutes: 5\n') },
      errors: [{ assertion: 'method', line: 11, column: 7, message: 'screensaver-only' }],
    },
    {
      name: 'no screen lock recorded',
      files: { terminals: terminal('') },
      errors: [{ assertion: 'configured', line: 4, column: 5 }],
    },
    {
      name: 'a parameter override of 3 minutes fails 5',
      params: { maxIdleMinutes: 3 },
      files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 5\n') },
      errors: [{ assertion: 'idle-time', line: 12, column: 7, message: '1〜3 分' }],
    },
  ],
  notApplicable: [
    {
      name: 'disposed terminals are not checked',
      files: { terminals: terminal('', '').replace('status: active', 'status: disposed') },
    },
  ],
});
