-- The demo company is Chinese and keeps its books in CNY. Odoo creates it
-- American (USD), a company's currency is fixed once accounting has posted
-- journal items, and Odoo's generic chart of accounts sets USD too. So a demo
-- database (`make run`, `docker compose up`) starts with base alone, this
-- moves its company to China and CNY, and the Chinese chart of accounts
-- (l10n_cn, in Odoo itself) is installed before our addons.
UPDATE res_currency SET active = true WHERE name = 'CNY';
UPDATE res_company SET currency_id = (SELECT id FROM res_currency WHERE name = 'CNY')
 WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
UPDATE res_partner SET country_id = (SELECT id FROM res_country WHERE code = 'CN')
 WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_partner');
