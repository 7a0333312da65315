-- Why an answer was not helpful, as the user picked it (sai-thu-tuc, thieu-thong-tin,
-- kho-hieu, qua-dai, thong-tin-cu), or '' when not given.
alter table feedback add column if not exists reason text not null default '';
