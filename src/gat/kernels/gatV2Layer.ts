/**
 * The GATv2 layer, stated once (Brody, Alon and Yahav 2022, "How Attentive are Graph Attention
 * Networks?"), exactly as PyTorch Geometric's GATv2Conv computes it, so that its models give the same
 * numbers here. The engines that run it point here: the generic TensorFlow.js ops
 * (model/genericEngine.ts). Its constants are GAT's (gatLayer.ts: LeakyReLU's slope, the dropout
 * streams), and so are steps 1, 3 and 4 apart from the two maps; only the score differs.
 *
 * GAT scores e_ij = LeakyReLU(a_srcᵀ W h_j + a_trgᵀ W h_i): LeakyReLU is monotonic, so every target
 * ranks its neighbours j by the same a_srcᵀ W h_j (static attention). GATv2 applies the LeakyReLU
 * before the dot product, per pair, so the ranking can depend on the target (dynamic attention).
 *
 * Shape legend: N nodes, FIN input features, NH heads, FOUT features per head, HF = NH·FOUT,
 * E' edges j → i including one self-loop per node (source j, target i); W_l and W_r (HF, FIN),
 * b_l and b_r (HF), att (NH, FOUT). PyG's names: lin_l (W_l, b_l), lin_r (W_r, b_r), att, bias.
 *
 *   Step 1  projections     xd = dropout(x)                                              (N, FIN)
 *                           x_l = xd · W_lᵀ + b_l,  x_r = xd · W_rᵀ + b_r                (N, NH, FOUT) each
 *                           share_weights: W_r = W_l and b_r = b_l, so x_r = x_l
 *   Step 2  edge attention  z_ij = LeakyReLU(x_l[j, h] + x_r[i, h]), slope LEAKY_RELU_SLOPE (E', NH, FOUT)
 *                           e_ij = ⟨z_ij, att[h]⟩                                         (E', NH)
 *                           α_ij = exp(e_ij − m_i) / Σ_{k → i} exp(e_ik − m_i),  m_i = max_k e_ik
 *                           αD = dropout(α)                                              (E', NH)
 *   Step 3  aggregation     agg_i = Σ_{j → i} αD_ij · x_l[j]  + skip_i                   (N, NH, FOUT)
 *                           skip as GAT's: none, xd · W_sᵀ ('proj'), or xd per head ('identity')
 *   Step 4  heads           hidden layers: out_i = ELU(concat_h agg_i + bias)            (N, HF)
 *                           output layer:  out_i = mean_h agg_i + bias                   (N, FOUT)
 *
 * The skip connection is this product's (GAT.py's: added before concat/mean, weights skip_proj);
 * PyG's optional `residual` adds after concat/mean and is not modelled. The ELU between layers is
 * the model's, as in PyG's GAT(v2=True).
 */
export { LEAKY_RELU_SLOPE } from './gatLayer';
