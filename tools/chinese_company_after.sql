-- After the Chinese chart of accounts: a demo database installs Odoo's
-- demonstration company of the localization ("CN Company") with it; it is no
-- part of our story, so it is archived and taken from every user's companies.
UPDATE res_company SET active = false
 WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'demo_company_cn');
DELETE FROM res_company_users_rel
 WHERE cid = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'demo_company_cn');
UPDATE res_users SET company_id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_company')
 WHERE company_id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'demo_company_cn');
