package org.jupyterhealth.exchange.admin.setting;

/** A setting's value in the column of its type; the other columns are null. */
record SettingColumns(String string, Long integer, Boolean bool, Double number, Object json) {
}
