# 第16条第2項: 特定の時間（5分以内）使用しなかった場合は…パスワード付きスクリーンロック又は、
# 自動ログオフ機能を設定する。 The kitei input contract: input.record is one terminal,
# input.params the manifest's parameters (with this run's overrides).
package kitei.screen_lock

import rego.v1

methods := {"password-lock", "auto-logoff"}

# Record scope: one violation per broken requirement, each with a JSON pointer into the record.
violations contains v if {
	not input.record.screenLock
	v := {"assertion": "configured", "path": "", "message": {
		"ja": sprintf("端末 %s にスクリーンロックの記録がありません", [input.record.id]),
		"en": sprintf("Terminal %s has no screen lock on record", [input.record.id]),
	}}
}

violations contains v if {
	m := input.record.screenLock.method
	not methods[m]
	v := {"assertion": "method", "path": "/screenLock/method", "message": {
		"ja": sprintf("端末 %s の画面ロック方式が「%s」です（パスワード付きスクリーンロック又は自動ログオフが必要）", [input.record.id, m]),
		"en": sprintf("Terminal %s locks with \"%s\" (a password screen lock or automatic log-off is required)", [input.record.id, m]),
	}}
}

violations contains v if {
	minutes := input.record.screenLock.idleMinutes
	minutes > input.params.maxIdleMinutes
	v := {
		"assertion": "idle-minutes",
		"path": "/screenLock/idleMinutes",
		"message": {
			"ja": sprintf("端末 %s の画面ロックまでの時間が %d 分です（%d 分以内）", [input.record.id, minutes, input.params.maxIdleMinutes]),
			"en": sprintf("Terminal %s locks after %d minutes (at most %d)", [input.record.id, minutes, input.params.maxIdleMinutes]),
		},
	}
}

# A boolean entrypoint: true means compliant.
default allow := false

allow if count(violations) == 0
